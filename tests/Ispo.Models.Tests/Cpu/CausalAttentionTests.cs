using Ispo.Models.Cpu;
using Ispo.Models.Modules;
using Ispo.Models.Runtime;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Cpu;

public class CausalAttentionTests
{
    /// <summary>softmax(q·kᵀ/√D + mask + causal)·v in float64 with torch's ops, kv heads repeated for GQA.</summary>
    static Tensor Reference(Tensor q, Tensor k, Tensor v, Tensor? mask)
    {
        long t = q.shape[2], groups = q.shape[1] / k.shape[1];
        Tensor scores = q.matmul(k.repeat_interleave(groups, 1).transpose(2, 3)) / Math.Sqrt(q.shape[3]);
        Tensor causal = ones(t, t, dtype: ScalarType.Bool).triu(1);
        scores = scores.masked_fill(causal, double.NegativeInfinity);
        if (mask is not null) scores = scores + mask.to(ScalarType.Float64).masked_fill(causal, 0);
        return scores.softmax(-1).matmul(v.repeat_interleave(groups, 1));
    }

    [Theory]
    [InlineData(2, 4, 2, 37, 16, false, 1)] // GQA, a partial last block
    [InlineData(1, 3, 3, 70, 64, true, 2)]  // a padding mask, two threads
    [InlineData(3, 2, 1, 5, 8, true, 2)]
    [InlineData(1, 2, 2, 1, 8, false, 1)]   // one token
    [InlineData(1, 2, 1, 40, 128, false, 2)] // Qwen2.5's head size
    public void ValuesAndGradientsEqualFloat64(int b, int heads, int kvHeads, int t, int d, bool padded, int threads)
    {
        using var scope = NewDisposeScope();
        using var _ = TorchThreads.Use(threads);
        var generator = new Generator(31);
        Tensor q64 = randn(b, heads, t, d, dtype: ScalarType.Float64, generator: generator);
        Tensor k64 = randn(b, kvHeads, t, d, dtype: ScalarType.Float64, generator: generator);
        Tensor v64 = randn(b, kvHeads, t, d, dtype: ScalarType.Float64, generator: generator);
        Tensor upstream64 = randn(b, heads, t, d, dtype: ScalarType.Float64, generator: generator);
        Tensor? mask = null;
        if (padded)
        {
            Tensor attention = ones(b, t, dtype: ScalarType.Int64);
            attention[0, TensorIndex.Slice(0, Math.Min(3, t - 1))] = 0; // row 0 is left-padded
            mask = AttentionMasks.Build(attention, null, t, ScalarType.Float32);
        }

        Tensor qRef = q64.clone().requires_grad_(true), kRef = k64.clone().requires_grad_(true), vRef = v64.clone().requires_grad_(true);
        Reference(qRef, kRef, vRef, mask).mul(upstream64).sum().backward();

        Tensor q = Float(q64).requires_grad_(true), k = Float(k64).requires_grad_(true), v = Float(v64).requires_grad_(true);
        Assert.True(CausalAttention.Supports(q, k, mask));
        Tensor o = CausalAttention.Apply(q, k, v, mask);
        o.mul(Float(upstream64)).sum().backward();

        Assert.Equal(q.shape, o.shape);
        Assert.True(TinyModels.MaxAbsDiff(Float(Reference(q64, k64, v64, mask)), o.detach()) < 1e-5);
        Assert.True(TinyModels.MaxAbsDiff(Float(qRef.grad!), q.grad!) < 1e-4);
        Assert.True(TinyModels.MaxAbsDiff(Float(kRef.grad!), k.grad!) < 1e-4);
        Assert.True(TinyModels.MaxAbsDiff(Float(vRef.grad!), v.grad!) < 1e-4);
    }

    [Fact]
    public void WithoutGradientsGivesTheSameValuesAndNoGraph()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(32);
        Tensor q = randn(2, 2, 40, 8, generator: generator), k = randn(2, 2, 40, 8, generator: generator), v = randn(2, 2, 40, 8, generator: generator);
        Tensor withGraph = CausalAttention.Apply(q.requires_grad_(true), k, v, null);
        Tensor plain;
        using (no_grad()) plain = CausalAttention.Apply(q, k, v, null);
        Assert.True(withGraph.requires_grad);
        Assert.False(plain.requires_grad);
        Assert.Equal(withGraph.detach().data<float>().ToArray(), plain.data<float>().ToArray());
    }

    [Fact]
    public void LeavesCachedPastsOtherMasksAndOtherDtypesToTorch()
    {
        using var scope = NewDisposeScope();
        Tensor q = randn(1, 2, 4, 8), k = randn(1, 2, 4, 8);
        Assert.True(CausalAttention.Supports(q, k, null));
        Assert.False(CausalAttention.Supports(q, randn(1, 2, 6, 8), null));        // keys with a past
        Assert.False(CausalAttention.Supports(q, k, zeros(1, 1, 1, 4)));           // a broadcast mask
        Assert.False(CausalAttention.Supports(q.to(ScalarType.BFloat16), k.to(ScalarType.BFloat16), null));
    }

    static Tensor Float(Tensor t) => t.detach().to(ScalarType.Float32);
}
