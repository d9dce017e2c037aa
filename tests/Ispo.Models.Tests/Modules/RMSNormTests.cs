using Ispo.Models.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Modules;

public class RMSNormTests
{
    internal const double Eps = 1e-6;

    /// <summary>The HF formula in float64: the reference the module and the fused kernel are held to.</summary>
    internal static Tensor Reference(Tensor x, Tensor weight) =>
        x * x.square().mean([-1L], keepdim: true).add(Eps).rsqrt() * weight;

    static RMSNorm Norm(long hidden, ScalarType dtype, CpuKernels kernels) => new(hidden, Eps, dtype, null, Kernels.For(kernels, CPU));

    [Theory]
    [InlineData(CpuKernels.Auto)]
    [InlineData(CpuKernels.Off)]
    public void MatchesTheFormulaInFp32AndBf16(CpuKernels kernels)
    {
        using var scope = NewDisposeScope();
        var norm = Norm(24, ScalarType.Float32, kernels);
        using (no_grad()) norm.weight.copy_(randn(24, generator: new Generator(14)));
        Tensor x = randn(5, 24, generator: new Generator(15));
        Tensor expected = Reference(x.to(ScalarType.Float64), norm.weight.detach().to(ScalarType.Float64)).to(ScalarType.Float32);
        Assert.True(TinyModels.MaxAbsDiff(expected, norm.forward(x)) < 1e-5);

        Tensor y = Norm(24, ScalarType.BFloat16, kernels).forward(x.to(ScalarType.BFloat16));
        Assert.Equal(ScalarType.BFloat16, y.dtype);
        Assert.True(TinyModels.MaxAbsDiff(Reference(x.to(ScalarType.Float64), ones(24, dtype: ScalarType.Float64)).to(ScalarType.Float32),
            y.to(ScalarType.Float32)) < 0.05);
    }

    [Theory]
    [InlineData(CpuKernels.Auto)]
    [InlineData(CpuKernels.Off)]
    public void TakesAnEmptyBatch(CpuKernels kernels)
    {
        using var scope = NewDisposeScope();
        Tensor y = Norm(8, ScalarType.Float32, kernels).forward(zeros(0, 3, 8));
        Assert.Equal(new long[] { 0, 3, 8 }, y.shape);
    }
}
