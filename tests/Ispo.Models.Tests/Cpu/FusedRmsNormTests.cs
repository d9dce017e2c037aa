using Ispo.Models.Cpu;
using Ispo.Models.Runtime;
using static Ispo.Models.Tests.Modules.RMSNormTests;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Cpu;

public class FusedRmsNormTests
{
    [Theory]
    [InlineData(1, 3, 8, 1)]
    [InlineData(2, 5, 37, 1)]    // a hidden size with a scalar tail after the vectors
    [InlineData(4, 300, 64, 2)]  // many rows, under two torch threads
    [InlineData(3, 17, 320, 2)]
    public void ForwardAndGradientsEqualTheFormula(int b, int t, int h, int threads)
    {
        using var scope = NewDisposeScope();
        using var _ = TorchThreads.Use(threads);
        var generator = new Generator(11);
        Tensor x64 = randn(b, t, h, dtype: ScalarType.Float64, generator: generator);
        Tensor w64 = randn(h, dtype: ScalarType.Float64, generator: generator).add_(1);
        Tensor upstream64 = randn(b, t, h, dtype: ScalarType.Float64, generator: generator);

        Tensor xRef = x64.clone().requires_grad_(true), wRef = w64.clone().requires_grad_(true);
        Reference(xRef, wRef).mul(upstream64).sum().backward();

        Tensor x = x64.to(ScalarType.Float32).requires_grad_(true), w = w64.to(ScalarType.Float32).requires_grad_(true);
        Tensor y = FusedRmsNorm.Apply(x, w, Eps);
        y.mul(upstream64.to(ScalarType.Float32)).sum().backward();

        Assert.Equal(new long[] { b, t, h }, y.shape);
        Assert.True(TinyModels.MaxAbsDiff(Reference(x64, w64).to(ScalarType.Float32), y.detach()) < 1e-5);
        Assert.True(TinyModels.MaxAbsDiff(xRef.grad!.to(ScalarType.Float32), x.grad!) < 1e-4);
        Assert.True(TinyModels.MaxAbsDiff(wRef.grad!.to(ScalarType.Float32), w.grad!) < 1e-3 * Math.Sqrt(b * t));
    }

    [Fact]
    public void WithoutGradientsGivesTheSameValuesAndNoGraph()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(12);
        Tensor x = randn(6, 40, generator: generator), w = randn(40, generator: generator);
        Tensor withGraph = FusedRmsNorm.Apply(x.requires_grad_(true), w, Eps);
        Tensor plain;
        using (no_grad()) plain = FusedRmsNorm.Apply(x, w, Eps);
        Assert.True(withGraph.requires_grad);
        Assert.False(plain.requires_grad);
        Assert.Equal(withGraph.detach().data<float>().ToArray(), plain.data<float>().ToArray());
    }

    [Fact]
    public void EachRowIsTheSameWhateverTheBatchAndThreads()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(13);
        Tensor x = randn(400, 44, generator: generator), w = randn(44, generator: generator);
        Tensor all;
        using (TorchThreads.Use(2)) all = FusedRmsNorm.Apply(x, w, Eps);
        using (TorchThreads.Use(1))
            foreach (int row in new[] { 0, 199, 200, 399 })
                Assert.Equal(all[row].data<float>().ToArray(), FusedRmsNorm.Apply(x.narrow(0, row, 1), w, Eps)[0].data<float>().ToArray());
    }
}
