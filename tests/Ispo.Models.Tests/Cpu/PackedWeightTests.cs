using System.Runtime.Intrinsics.X86;
using Ispo.Models.Cpu;
using Ispo.Models.Runtime;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Cpu;

public unsafe class PackedWeightTests
{
    /// <summary>The panel widths this machine runs: 16 (AVX2) always, 32 (AVX-512) where it has it.</summary>
    static bool[] Widths => Avx512F.IsSupported ? [false, true] : [false];
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
        using var copy = new InferenceCopy(weight, bias);
        Assert.NotNull(copy.Packed);
        Tensor expected = nn.functional.linear(x, weight, bias);
        Tensor actual = copy.Apply(x);
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(TinyModels.MaxAbsDiff(expected, actual) <= 1e-4 * k);
    }

    [Fact]
    public void EachRowIsTheSameWhateverTheBatchAndThreads()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(6);
        Tensor weight = randn(300, 64, generator: generator), x = randn(11, 64, generator: generator);
        using var copy = new InferenceCopy(weight);
        Tensor all;
        using (TorchThreads.Use(2)) all = copy.Apply(x);
        using (TorchThreads.Use(1))
            for (int row = 0; row < 11; row++)
                Assert.Equal(all[row].data<float>().ToArray(), copy.Apply(x.narrow(0, row, 1))[0].data<float>().ToArray());
    }

    [Fact]
    public void TransposedWhenNotFp32()
    {
        using var scope = NewDisposeScope();
        Tensor weight = randn(8, 4);
        using var bf16 = new InferenceCopy(weight.to(ScalarType.BFloat16));
        Assert.Null(bf16.Packed);
        Tensor y = bf16.Apply(ones(3, 4, dtype: ScalarType.BFloat16));
        Assert.True(TinyModels.MaxAbsDiff(y.to(ScalarType.Float32), nn.functional.linear(ones(3, 4), weight)) <= 0.05);
    }

    [Theory]
    [InlineData(1, 32, 16, false)]
    [InlineData(7, 40, 37, true)]
    [InlineData(300, 1000, 530, true)] // many rows, K over several depth chunks, a partial last panel
    [InlineData(9, 2048, 64, false)]   // few rows (panel by panel) but a long K
    [InlineData(40, 777, 96, true)]    // many rows, chunks of uneven length
    public void EveryPanelWidthGivesTheSameBits(int m, int k, int n, bool withBias)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        Tensor weight = randn(n, k, generator: generator), x = randn(m, k, generator: generator), bias = randn(n, generator: generator);
        Tensor expected = nn.functional.linear(x, weight, withBias ? bias : null);
        float[]? first = null;
        foreach (bool wide in Widths)
            foreach (int threads in new[] { 1, 2 })
            {
                Tensor y = empty(m, n);
                using (var packed = new PackedWeight(TensorPointers.Floats(weight), n, k, withBias ? TensorPointers.Floats(bias) : null, wide))
                    packed.Multiply(TensorPointers.Floats(x), m, TensorPointers.Floats(y), threads);
                Assert.True(TinyModels.MaxAbsDiff(expected, y) <= 1e-5 * k);
                float[] values = y.data<float>().ToArray();
                first ??= values;
                Assert.Equal(first, values);
            }
    }

    [Theory]
    [InlineData(50, 300, 96, 0)]  // wide panels use the matrix in place
    [InlineData(50, 300, 100, 0)] // a partial panel: packed
    [InlineData(20, 64, 64, 1)]   // a matrix one float off 64-byte alignment: packed
    [InlineData(3, 500, 32, 0)]   // few rows
    public void RowMajorRightOperandsEqualTorchMatmul(int m, int k, int n, int offset)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(8);
        Tensor a = randn(m, k, generator: generator), storage = randn(k * n + offset, generator: generator);
        Tensor b = storage.narrow(0, offset, k * n).view(k, n);
        Tensor expected = a.matmul(b);
        foreach (bool wide in Widths)
        {
            Tensor y = empty(m, n);
            using (var packed = PackedWeight.FromRows(TensorPointers.Floats(b), k, n, wide))
                packed.Multiply(TensorPointers.Floats(a), m, TensorPointers.Floats(y), 2);
            Assert.True(TinyModels.MaxAbsDiff(expected, y) <= 1e-5 * k);
        }
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(13, 21)]   // edges on both sides of the 8×8 blocks
    [InlineData(16, 8)]
    [InlineData(2048, 40)] // a power-of-two row length
    public void TransposeEqualsTorch(int rows, int cols)
    {
        using var scope = NewDisposeScope();
        Tensor src = randn(rows, cols, generator: new Generator(9)), dst = empty(cols, rows);
        PackedWeight.Transpose(TensorPointers.Floats(src), rows, cols, TensorPointers.Floats(dst));
        Assert.Equal(src.t().contiguous().data<float>().ToArray(), dst.data<float>().ToArray());
    }

    [Theory]
    [InlineData(5, 40, 70, 23, 64)]    // few rows
    [InlineData(40, 900, 96, 500, 1000)] // many rows, depth over one chunk
    public void ShallowerProductsOfStridedRowsEqualTorch(int m, int k, int n, int depth, int lda)
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(10);
        Tensor weight = randn(n, k, generator: generator), rows = randn(m, lda, generator: generator);
        Tensor expected = rows.narrow(1, 0, depth).matmul(weight.narrow(1, 0, depth).t());
        foreach (bool wide in Widths)
        {
            Tensor y = empty(m, n);
            using (var packed = new PackedWeight(TensorPointers.Floats(weight), n, k, null, wide))
                packed.MultiplyPanels(TensorPointers.Floats(rows), lda, m, TensorPointers.Floats(y), 0, packed.PanelCount, depth);
            Assert.True(TinyModels.MaxAbsDiff(expected, y) <= 1e-5 * depth);
        }
    }
}
