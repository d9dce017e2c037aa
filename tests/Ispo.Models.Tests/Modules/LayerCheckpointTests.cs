using System.Runtime.InteropServices;
using Ispo.Models.Lora;
using Ispo.Models.Tests.Lora;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Modules;

[CollectionDefinition(nameof(NativeHeapCollection), DisableParallelization = true)] // the native heap is process-wide
public sealed class NativeHeapCollection;

[Collection(nameof(NativeHeapCollection))]
public class LayerCheckpointTests
{
    public static IEnumerable<object[]> Cases =>
        from model in new[] { nameof(TinyModels.Qwen2), nameof(TinyModels.Llama) }
        from kernels in new[] { CpuKernels.Auto, CpuKernels.Off }
        from padded in new[] { false, true }
        select new object[] { model, kernels, padded };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RecomputingGivesTheSameGradients(string name, CpuKernels kernels, bool padded)
    {
        using var scope = NewDisposeScope();
        using CausalLM model = TinyModels.Create(TinyModels.ByName(name), kernels: kernels);
        Dictionary<string, Tensor> plain = Gradients(model, padded), recomputed = Gradients(model, padded, checkpointing: true);
        AssertSame(plain, recomputed);
    }

    /// <summary>With adapters on every projection, the recompute (on the CPU kernels: halves apart, the attention's
    /// output kept, the output projections' products skipped) trains A and B as the plain backward does.</summary>
    [Theory]
    [InlineData(CpuKernels.Auto)]
    [InlineData(CpuKernels.Off)]
    public void RecomputingGivesTheSameAdapterGradients(CpuKernels kernels)
    {
        using var scope = NewDisposeScope();
        using CausalLM model = TinyModels.Create(TinyModels.Qwen2, kernels: kernels);
        LoraTesting.RandomizeB(LoraAdapters.Attach(model, LoraTesting.AllProjections, seed: 2), seed: 3);
        Dictionary<string, Tensor> plain = Gradients(model, padded: true), recomputed = Gradients(model, padded: true, checkpointing: true);
        Assert.Equal(2 * 7 * 2, plain.Count);
        AssertSame(plain, recomputed);
    }

    [Fact]
    public void RecomputingReplaysLoraDropoutAndLeavesLaterDrawsAsTheyWere()
    {
        using var scope = NewDisposeScope();
        Dictionary<string, Tensor>[] runs = [.. new[] { false, true }.Select(checkpointing =>
        {
            using CausalLM model = TinyModels.Create(TinyModels.Qwen2);
            LoraTesting.RandomizeB(LoraAdapters.Attach(model, LoraTesting.AllProjections with { Dropout = 0.3 }, seed: 2), seed: 3);
            Gradients(model, padded: true, checkpointing);
            return Gradients(model, padded: true, checkpointing); // the second step draws after the first one's masks
        })];
        Assert.Equal(2 * 7 * 2, runs[0].Count); // A and B of 7 projections in each of 2 layers
        AssertSame(runs[0], runs[1]);
    }

    /// <summary>What a training forward leaves held for the backward, read from glibc's heap (libtorch allocates CPU
    /// tensors with malloc): with checkpointing, each layer's input, under half of
    /// every layer's activations.</summary>
    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void RecomputingHoldsUnderHalfTheActivationsUntilBackward(string name)
    {
        if (!OperatingSystem.IsLinux()) return; // mallinfo2 is glibc's
        using CausalLM model = TinyModels.Create(TinyModels.ByName(name) with { NumHiddenLayers = 6 });
        long plain = HeldForBackward(model, checkpointing: false), recomputed = HeldForBackward(model, checkpointing: true);
        Assert.True(plain > 4 << 20, $"{plain} bytes held without checkpointing");
        Assert.True(recomputed < plain / 2, $"{recomputed} bytes held with checkpointing, {plain} without");
    }

    static long HeldForBackward(CausalLM model, bool checkpointing)
    {
        model.GradientCheckpointing = checkpointing;
        model.train();
        using var scope = NewDisposeScope();
        Tensor ids = TinyModels.RandomIds(model.Config, 64, 64, seed: 7);
        long before = HeapInUse();
        Tensor loss = model.Hidden(ids).square().mean();
        long held = HeapInUse() - before;
        loss.backward();
        model.eval();
        return held;
    }

    [StructLayout(LayoutKind.Sequential)]
    struct MallInfo2
    {
        public nuint Arena, OrdBlks, SmBlks, HBlks, HBlkHd, UsmBlks, FsmBlks, UordBlks, FordBlks, KeepCost;
    }

    [DllImport("libc", EntryPoint = "mallinfo2")]
    static extern MallInfo2 MallInfo();

    /// <summary>Bytes malloc has handed out and not had back: from its arenas and as separate mappings.</summary>
    static long HeapInUse()
    {
        MallInfo2 info = MallInfo();
        return (long)(info.UordBlks + info.HBlkHd);
    }

    /// <summary>Each parameter's gradient from one training forward and backward.</summary>
    static Dictionary<string, Tensor> Gradients(CausalLM model, bool padded, bool checkpointing = false)
    {
        model.GradientCheckpointing = checkpointing;
        model.train();
        foreach (var p in model.parameters()) p.grad = null;
        Tensor ids = TinyModels.RandomIds(model.Config, 3, 11, seed: 7);
        Tensor? mask = padded ? tensor(new long[] { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1 }).expand(3, 11).contiguous() : null;
        Tensor weights = randn([3, 11, model.Config.VocabSize], generator: new Generator(9));
        (model.Forward(ids, mask).to(ScalarType.Float32).log_softmax(-1) * weights).sum().backward();
        model.eval();
        return model.named_parameters().Where(p => p.parameter.grad is not null).ToDictionary(p => p.name, p => p.parameter.grad!.clone());
    }

    /// <summary>Every gradient within 1e-6 of the plain one, relative to its norm.</summary>
    static void AssertSame(Dictionary<string, Tensor> plain, Dictionary<string, Tensor> recomputed)
    {
        Assert.Equal(plain.Keys.Order(), recomputed.Keys.Order());
        foreach ((string name, Tensor g) in plain)
        {
            double relative = (recomputed[name] - g).norm().item<float>() / Math.Max(1e-12, g.norm().item<float>());
            Assert.True(relative <= 1e-6, $"{name}: relative difference {relative:e2}");
        }
    }
}
