using Ispo.Models.Modules;
using Ispo.Models.Runtime;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Modules;

public class PackedWeightTests
{
    [Theory]
    [InlineData(1, 32, 16, false)]
    [InlineData(7, 40, 37, true)]   // a partial last panel and a partial last row tile
    [InlineData(13, 24, 100, false)]
    [InlineData(5, 29, 48, true)]   // whole panels whose K is not a multiple of the 8×8 transpose
    [InlineData(64, 96, 530, true)] // few rows: panel by panel, prefetching the next
    [InlineData(300, 96, 530, true)] // many rows: several panel blocks
    public void EqualsTorchMatmulWithBias(int m, int k, int n, bool withBias)
    {
        Assert.True(PackedWeight.IsSupported, "this machine has AVX2 and FMA");
        using var scope = NewDisposeScope();
        var generator = new Generator(5);
        Tensor weight = randn(n, k, generator: generator), x = randn(2, m, k, generator: generator); // [out,in], [2,m,in]
        Tensor? bias = withBias ? randn(n, generator: generator) : null;
        using var frozen = new FrozenWeight(pack: true, weight, bias);
        Assert.NotNull(frozen.Packed);
        Tensor expected = nn.functional.linear(x, weight, bias);
        Tensor actual = frozen.Apply(x);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(TinyModels.MaxAbsDiff(expected, actual) <= 1e-4 * k);
    }

    [Fact]
    public void EachRowIsTheSameWhateverTheBatchAndThreads()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(6);
        Tensor weight = randn(300, 64, generator: generator), x = randn(11, 64, generator: generator);
        using var frozen = new FrozenWeight(pack: true, weight);
        Tensor all;
        using (TorchThreads.Use(2)) all = frozen.Apply(x);
        using (TorchThreads.Use(1))
            for (int row = 0; row < 11; row++)
                Assert.Equal(all[row].data<float>().ToArray(), frozen.Apply(x.narrow(0, row, 1))[0].data<float>().ToArray());
    }

    [Fact]
    public void UnpackedWhenAskedOrNotFp32()
    {
        using var scope = NewDisposeScope();
        Tensor weight = randn(8, 4);
        using var unpacked = new FrozenWeight(pack: false, weight);
        using var bf16 = new FrozenWeight(pack: true, weight.to(ScalarType.BFloat16));
        Assert.Null(unpacked.Packed);
        Assert.Null(bf16.Packed);
        Assert.True(TinyModels.MaxAbsDiff(unpacked.Apply(ones(3, 4)), nn.functional.linear(ones(3, 4), weight)) <= 1e-6);
    }
}
