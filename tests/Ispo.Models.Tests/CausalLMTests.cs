using Ispo.Models.Config;
using static TorchSharp.torch;

namespace Ispo.Models.Tests;

public class CausalLMTests
{
    [Theory]
    [InlineData(CpuKernels.Auto)]
    [InlineData(CpuKernels.Off)]
    public void ReportsWhetherIspoCpuKernelsRunIt(CpuKernels choice)
    {
        using var model = TinyModels.Create(TinyModels.Llama, kernels: choice);
#if ISPO_NO_CPU_KERNELS
        Assert.False(model.UsesCpuKernels);
#else
        Assert.Equal(choice == CpuKernels.Auto, model.UsesCpuKernels);
#endif
    }

    [Fact]
    public void ParameterNamesAreHuggingFaceKeys()
    {
        using var qwen = TinyModels.Create(TinyModels.Qwen2);
        string[] keys = qwen.state_dict().Keys.ToArray();
        Assert.Contains("model.embed_tokens.weight", keys);
        Assert.Contains("model.layers.0.self_attn.q_proj.weight", keys);
        Assert.Contains("model.layers.0.self_attn.q_proj.bias", keys);
        Assert.Contains("model.layers.1.self_attn.v_proj.bias", keys);
        Assert.Contains("model.layers.1.mlp.gate_proj.weight", keys);
        Assert.Contains("model.layers.1.post_attention_layernorm.weight", keys);
        Assert.Contains("model.norm.weight", keys);
        Assert.Contains("lm_head.weight", keys);
        Assert.DoesNotContain("model.layers.0.self_attn.o_proj.bias", keys);
        // 1 embed + 2 layers × (4 attn weights + 3 biases + 3 mlp + 2 norms) + norm + lm_head
        Assert.Equal(1 + 2 * 12 + 2, keys.Length);

        using var llama = TinyModels.Create(TinyModels.Llama);
        string[] llamaKeys = llama.state_dict().Keys.ToArray();
        Assert.DoesNotContain("lm_head.weight", llamaKeys);
        Assert.DoesNotContain(llamaKeys, k => k.EndsWith(".bias", StringComparison.Ordinal));
        Assert.Equal(1 + 2 * 9 + 1, llamaKeys.Length);
    }

    [Fact]
    public void ParameterCountMatchesDims()
    {
        using var model = TinyModels.Create(TinyModels.Llama);
        var c = TinyModels.Llama;
        long attn = 2L * c.HiddenSize * c.NumAttentionHeads * c.HeadDim + 2L * c.HiddenSize * c.NumKeyValueHeads * c.HeadDim;
        long layer = attn + 3L * c.HiddenSize * c.IntermediateSize + 2 * c.HiddenSize;
        Assert.Equal(c.VocabSize * c.HiddenSize + c.NumHiddenLayers * layer + c.HiddenSize, model.ParameterCount());
    }

    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void CachedIncrementalDecodingEqualsFullForward(string name)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(name);
        Tensor ids = TinyModels.RandomIds(model.Config, 2, 12, seed: 5);
        Tensor full = model.Forward(ids); // [2,12,V]
        using var cache = model.NewCache(2, 16);
        var pieces = new List<Tensor> { model.Forward(ids.narrow(1, 0, 5), cache: cache), model.Forward(ids.narrow(1, 5, 3), cache: cache) };
        for (int t = 8; t < 12; t++) pieces.Add(model.Forward(ids.narrow(1, t, 1), cache: cache));
        Assert.True(TinyModels.MaxAbsDiff(full, cat(pieces, 1)) <= 1e-4);
        Assert.Equal(12, cache.Length);
    }

    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void InferenceCopiesGiveTheSameLogitsUntilReleased(string name)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(name);
        using var _ = no_grad();
        Tensor ids = TinyModels.RandomIds(model.Config, 2, 7, seed: 6);
        Tensor mask = tensor(new long[] { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, [2, 7]);
        Tensor plain = model.Forward(ids, mask);
        Tensor packed, cached;
        using (model.PackForInference())
        {
            packed = model.Forward(ids, mask);
            using var cache = model.NewCache(2, 8);
            cached = cat([model.Forward(ids.narrow(1, 0, 6), mask.narrow(1, 0, 6), cache: cache),
                model.Forward(ids.narrow(1, 6, 1), mask.narrow(1, 6, 1), cache: cache)], 1);
        }
        Assert.True(TinyModels.MaxAbsDiff(plain, packed) <= 1e-4);
        Assert.True(TinyModels.MaxAbsDiff(plain, cached) <= 1e-4);
        foreach (var p in model.parameters()) p.mul_(0.5); // released: later forwards see the new weights
        Assert.True(TinyModels.MaxAbsDiff(plain, model.Forward(ids, mask)) > 1e-3);
    }

    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void LeftPaddedRowsEqualEachRowAlone(string name)
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(name);
        Tensor shortIds = TinyModels.RandomIds(model.Config, 1, 4, seed: 7);
        Tensor longIds = TinyModels.RandomIds(model.Config, 1, 7, seed: 8);
        Tensor batch = cat([cat([zeros(1, 3, ScalarType.Int64), shortIds], 1), longIds], 0); // [2,7]
        Tensor mask = tensor(new long[] { 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, [2, 7]);
        Tensor logits = model.Forward(batch, mask);
        Assert.True(TinyModels.MaxAbsDiff(logits[0].narrow(0, 3, 4), model.Forward(shortIds)[0]) <= 1e-4);
        Assert.True(TinyModels.MaxAbsDiff(logits[1], model.Forward(longIds)[0]) <= 1e-4);
        Assert.False(logits.isnan().any().item<bool>());
    }

    [Fact]
    public void ExplicitPositionIdsFeedRope()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(TinyModels.Qwen2);
        Tensor ids = TinyModels.RandomIds(model.Config, 1, 6, seed: 3);
        Tensor defaultPositions = arange(6, dtype: ScalarType.Int64).unsqueeze(0);
        Assert.True(TinyModels.MaxAbsDiff(model.Forward(ids), model.Forward(ids, positionIds: defaultPositions)) <= 1e-6);
        // RoPE is relative: a common shift changes nothing, spreading the positions does.
        Assert.True(TinyModels.MaxAbsDiff(model.Forward(ids), model.Forward(ids, positionIds: defaultPositions + 40)) <= 1e-4);
        Assert.True(TinyModels.MaxAbsDiff(model.Forward(ids), model.Forward(ids, positionIds: defaultPositions * 2)) > 1e-3);
    }

    [Fact]
    public void Bf16ForwardRunsAndTracksFp32()
    {
        using var scope = NewDisposeScope();
        using var fp32 = TinyModels.Create(TinyModels.Qwen2);
        using var bf16 = new CausalLM(TinyModels.Qwen2, ScalarType.BFloat16);
        using (no_grad())
            foreach (var (key, p) in bf16.named_parameters())
                p.copy_(fp32.state_dict()[key]);
        Tensor ids = TinyModels.RandomIds(TinyModels.Qwen2, 2, 6, seed: 4);
        Tensor logits = bf16.Forward(ids);
        Assert.Equal(ScalarType.BFloat16, logits.dtype);
        Assert.Equal(new long[] { 2, 6, TinyModels.Qwen2.VocabSize }, logits.shape);
        Assert.True(TinyModels.MaxAbsDiff(logits.to(ScalarType.Float32), fp32.Forward(ids)) < 0.5);
        using var cache = bf16.NewCache(2, 8);
        Assert.Equal(ScalarType.BFloat16, bf16.Forward(ids, cache: cache).dtype);
    }

    [Fact]
    public void TrainingForwardHasGradientsForEveryParameter()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(TinyModels.Qwen2);
        model.train();
        Tensor ids = TinyModels.RandomIds(TinyModels.Qwen2, 2, 6, seed: 9);
        model.Forward(ids).logsumexp(-1).mean().backward();
        Assert.All(model.parameters(), p => Assert.True(p.grad is { } g && g.abs().sum().item<float>() > 0));
    }

    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void Fp32GradientsMatchAFloat64CopyOnTorchOps(string name)
    {
        // fp32 on this CPU runs our own kernels (linear layers on AVX-512, RMSNorm); float64 runs torch's ops only
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(name);
        using var reference = new CausalLM(model.Config, ScalarType.Float64);
        using (no_grad())
            foreach (var ((_, p), (_, q)) in model.named_parameters().Zip(reference.named_parameters())) q.copy_(p);
        Tensor ids = TinyModels.RandomIds(model.Config, 3, 19, seed: 10);
        foreach (CausalLM m in new[] { model, reference })
        {
            m.train();
            Tensor logits = m.Forward(ids.narrow(1, 0, 18));
            nn.functional.cross_entropy(logits.reshape(-1, model.Config.VocabSize), ids.narrow(1, 1, 18).reshape(-1)).backward();
        }
        foreach (var ((key, p), (_, q)) in model.named_parameters().Zip(reference.named_parameters()))
        {
            float scale = q.grad!.abs().max().item<double>() is var top && top > 0 ? (float)top : 1f;
            Assert.True(TinyModels.MaxAbsDiff(p.grad!, q.grad!.to(ScalarType.Float32)) <= 1e-4 * scale, key);
        }
    }
}
