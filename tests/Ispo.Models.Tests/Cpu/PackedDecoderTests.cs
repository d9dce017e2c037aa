using Ispo.Models.Cpu;
using Ispo.Models.Config;
using Ispo.Models.Modules;
using Ispo.Models.Runtime;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Cpu;

public class PackedDecoderTests
{
    // Llama with a head dim the attention kernel takes (the shared tiny Llama's 4 falls back to torch).
    static readonly ModelConfig Llama8 = TinyModels.Llama with { HeadDim = 8 };

    public static IEnumerable<object[]> Configs => [[nameof(TinyModels.Qwen2), 1], [nameof(TinyModels.Qwen2), 2], [nameof(Llama8), 2]];

    static ModelConfig Config(string name) => name == nameof(Llama8) ? Llama8 : TinyModels.Qwen2;

    /// <summary>Prefills a left-padded batch, then decodes a few tokens one at a time; returns every step's logits.</summary>
    static List<float[]> Decode(CausalLM model, int threads)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var packed = model.PackForInference();
        using var useThreads = TorchThreads.Use(threads);
        Tensor ids = TinyModels.RandomIds(model.Config, 3, 5, seed: 11);
        Tensor mask = tensor(new long[] { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1 }, [3, 5]);
        using KvCache cache = model.NewCache(3, 12);
        model.Hidden(ids, mask, cache: cache);
        var steps = new List<float[]>();
        long[] tokens = [4, 9, 17];
        for (int step = 0; step < 6; step++)
        {
            Tensor logits = model.NextTokenLogits(tokens, cache); // [3,V]
            steps.Add(logits.data<float>().ToArray());
            tokens = logits.argmax(-1).data<long>().ToArray();
        }
        Assert.Equal(11, cache.Length);
        return steps;
    }

    [Theory]
    [MemberData(nameof(Configs))]
    public void StepsEqualTheTorchPath(string name, int threads)
    {
        using var model = TinyModels.Create(Config(name));
        using var plain = TinyModels.Create(Config(name), kernels: CpuKernels.Off);
        List<float[]> expected = Decode(plain, threads), actual = Decode(model, threads);
        for (int step = 0; step < expected.Count; step++)
            Assert.Equal(expected[step], actual[step], (a, b) => Math.Abs(a - b) <= 1e-4);
    }

    /// <summary>Prompts prefilled in place into cleared rows of a running cache (continuous batching's join) give the
    /// logits, and then decode steps, of each prompt prefilled alone by the torch path.</summary>
    [Theory]
    [MemberData(nameof(Configs))]
    public void PrefillingRowsInPlaceEqualsEachPromptAloneOnTheTorchPath(string name, int threads)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        using var useThreads = TorchThreads.Use(threads);
        using var model = TinyModels.Create(Config(name));
        using var plain = TinyModels.Create(Config(name), kernels: CpuKernels.Off);
        using var packed = model.PackForInference();
        int[][] prompts = [[5, 9, 14, 3, 7], [8, 4]];
        using KvCache running = model.NewCache(3, 16);
        model.Hidden(TinyModels.RandomIds(model.Config, 3, 6, seed: 11), cache: running);
        running.ClearRow(1);
        running.ClearRow(2);
        Tensor joined = model.PrefillRows(prompts, [1, 2], running)!; // [2,V]
        var alone = prompts.Select(p => plain.NewCache(1, 16)).ToList();
        var expected = prompts.Select((p, i) => plain.Logits(plain.Hidden(tensor(p.Select(t => (long)t).ToArray()).view(1, -1), cache: alone[i]).select(1, -1))
            .to(ScalarType.Float32)).ToList();
        for (int step = 0; step < 4; step++)
        {
            for (int p = 0; p < prompts.Length; p++)
                Assert.Equal(expected[p][0].data<float>().ToArray(), joined[p].data<float>().ToArray(), (a, b) => Math.Abs(a - b) <= 1e-4);
            long[] next = [.. Enumerable.Range(0, prompts.Length).Select(p => joined[p].argmax().item<long>())];
            joined = model.NextTokenLogits([3, .. next], running).narrow(0, 1, 2);
            expected = [.. Enumerable.Range(0, prompts.Length).Select(p => plain.NextTokenLogits([next[p]], alone[p]))];
        }
        foreach (KvCache cache in alone) cache.Dispose();
    }

    [Fact]
    public void OneAndTwoThreadsGiveTheSameLogitsBitForBit()
    {
        using var model = TinyModels.Create(Llama8);
        List<float[]> one = Decode(model, threads: 1), two = Decode(model, threads: 2);
        for (int step = 0; step < one.Count; step++) Assert.Equal(one[step], two[step]);
    }

    [Fact]
    public void RejectsTokensOutsideTheVocabularyBeforeTouchingTheCache()
    {
        using var model = TinyModels.Create(TinyModels.Qwen2);
        using var noGrad = no_grad();
        using var packed = model.PackForInference();
        using KvCache cache = model.NewCache(2, 4);
        Assert.Throws<ArgumentOutOfRangeException>(() => model.NextTokenLogits([3, model.Config.VocabSize], cache));
        Assert.Throws<ArgumentOutOfRangeException>(() => model.NextTokenLogits([-1, 3], cache));
        Assert.Equal(0, cache.Length);
    }

    [Fact]
    public void UsedOnlyWhenEveryWeightIsPackedAndTheHeadDimFits()
    {
        using var qwen = TinyModels.Create(TinyModels.Qwen2);
        using var plain = TinyModels.Create(TinyModels.Qwen2, kernels: CpuKernels.Off);
        using var llama4 = TinyModels.Create(TinyModels.Llama);
        using var bf16 = TinyModels.Create(TinyModels.Qwen2, dtype: ScalarType.BFloat16);
        using (qwen.PackForInference()) Assert.True(Decodes(qwen));
        using (plain.PackForInference()) Assert.False(Decodes(plain));
        using (llama4.PackForInference()) Assert.False(Decodes(llama4));
        using (bf16.PackForInference()) Assert.False(Decodes(bf16));
        Assert.False(Decodes(qwen)); // unpacked
    }

    static bool Decodes(CausalLM model) => model.Kernels.Copies is InferenceCopies { Decoder: not null };
}
