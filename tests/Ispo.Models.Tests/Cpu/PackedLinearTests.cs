using System.Runtime.Intrinsics.X86;
using Ispo.Models.Cpu;
using Ispo.Models.Runtime;
using Ispo.Models.Tests.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Cpu;

public class PackedLinearTests
{
    [Theory]
    [InlineData(2, 37, 100, 70, true, 1)]   // partial panels, a partial row tile, with a bias
    [InlineData(3, 50, 48, 256, false, 2)]  // N > K: the weight gradient is taken as (xᵀ·g)ᵀ, g used in place
    [InlineData(1, 300, 500, 64, true, 2)]  // K over one depth chunk, many rows
    [InlineData(2, 9, 64, 64, false, 1)]
    public void ForwardAndGradientsEqualFloat64(int b, int t, int k, int n, bool withBias, int threads)
    {
        using var scope = NewDisposeScope();
        using var _ = TorchThreads.Use(threads);
        var generator = new Generator(21);
        Tensor x64 = randn(b, t, k, dtype: ScalarType.Float64, generator: generator);
        Tensor w64 = randn(n, k, dtype: ScalarType.Float64, generator: generator).div_(Math.Sqrt(k));
        Tensor b64 = randn(n, dtype: ScalarType.Float64, generator: generator);
        Tensor upstream64 = randn(b, t, n, dtype: ScalarType.Float64, generator: generator);

        Tensor xRef = x64.clone().requires_grad_(true), wRef = w64.clone().requires_grad_(true), bRef = b64.clone().requires_grad_(true);
        nn.functional.linear(xRef, wRef, withBias ? bRef : null).mul(upstream64).sum().backward();

        Tensor x = Float(x64).requires_grad_(true), w = Float(w64).requires_grad_(true), bias = Float(b64).requires_grad_(true);
        Tensor y = PackedLinear.Supports(x, w) ? PackedLinear.Apply(x, w, withBias ? bias : null) : nn.functional.linear(x, w, withBias ? bias : null);
        y.mul(Float(upstream64)).sum().backward();

        Assert.Equal(new long[] { b, t, n }, y.shape);
        Assert.True(TinyModels.MaxAbsDiff(Float(nn.functional.linear(x64, w64, withBias ? b64 : null)), y.detach()) < 1e-4);
        Assert.True(TinyModels.MaxAbsDiff(Float(xRef.grad!), x.grad!) < 1e-4 * Math.Sqrt(n));
        Assert.True(TinyModels.MaxAbsDiff(Float(wRef.grad!), w.grad!) < 1e-4 * Math.Sqrt(b * t));
        if (withBias) Assert.True(TinyModels.MaxAbsDiff(Float(bRef.grad!), bias.grad!) < 1e-4 * Math.Sqrt(b * t));
        else Assert.True(bias.grad is null || bias.grad.IsInvalid);
    }

    [Fact]
    public void AFrozenWeightGetsNoGradientAndTheInputItsUsualOne()
    {
        if (!Avx512F.IsSupported) return;
        using var scope = NewDisposeScope();
        var generator = new Generator(23);
        Tensor x = randn(3, 7, 33, generator: generator).requires_grad_(true), w = randn(40, 33, generator: generator), b = randn(40, generator: generator);
        Tensor upstream = randn(3, 7, 40, generator: generator);
        PackedLinear.Apply(x, w, b).mul(upstream).sum().backward(); // a LoRA base: weight and bias frozen
        Tensor expected = upstream.matmul(w);
        Assert.True(TinyModels.MaxAbsDiff(expected, x.grad!) < 1e-4);
        Assert.True(w.grad is null && b.grad is null);
    }

    /// <summary>Gradient checkpointing's recompute of a layer's last projection: the same gradients, bit for bit,
    /// without the product.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void AnUnreadProductGivesZerosAndTheSameGradients(bool withBias)
    {
        if (!Avx512F.IsSupported) return;
        UnreadLinearTests.AssertUnreadGradients(withBias, PackedLinear.Apply, tolerance: 0);
        using var scope = NewDisposeScope();
        Tensor x = randn(2, 9, 33), w = randn(40, 33), b = randn(40);
        using (no_grad()) Assert.Equal(0, PackedLinear.Apply(x, w, b, valueUnread: true).abs().max().item<float>());
    }

    [Fact]
    public void RunsHereOnAnAvx512MachineForFp32CpuOnly()
    {
        using var scope = NewDisposeScope();
        Tensor x = randn(4, 8), w = randn(16, 8);
        Assert.Equal(Avx512F.IsSupported, PackedLinear.Supports(x, w));
        Assert.False(PackedLinear.Supports(x.to(ScalarType.BFloat16), w.to(ScalarType.BFloat16)));
        Assert.False(PackedLinear.Supports(empty(0, 8), w));
        Assert.Null(new CpuBackend().Linear(x.to(ScalarType.BFloat16), w.to(ScalarType.BFloat16), null, valueUnread: false)); // left to torch
    }

    [Fact]
    public void WithoutGradientsGivesTheSameValuesAndNoGraph()
    {
        if (!Avx512F.IsSupported) return; // PackedLinear only runs on AVX-512 machines; torch's linear elsewhere
        using var scope = NewDisposeScope();
        var generator = new Generator(22);
        Tensor x = randn(5, 33, generator: generator), w = randn(40, 33, generator: generator), b = randn(40, generator: generator);
        Tensor withGraph = PackedLinear.Apply(x, w.requires_grad_(true), b);
        Tensor plain;
        using (no_grad()) plain = PackedLinear.Apply(x, w, b);
        Assert.True(withGraph.requires_grad);
        Assert.False(plain.requires_grad);
        Assert.Equal(withGraph.detach().data<float>().ToArray(), plain.data<float>().ToArray());
    }

    [Fact]
    public void AnInputOfTheWrongWidthIsAnError()
    {
        if (!Avx512F.IsSupported) return;
        using var scope = NewDisposeScope();
        var error = Assert.Throws<ArgumentException>(() => PackedLinear.Apply(randn(3, 7), randn(4, 8), null));
        Assert.Contains("linear over 8 features got input of shape [3, 7]", error.Message);
    }

    static Tensor Float(Tensor t) => t.detach().to(ScalarType.Float32);
}
