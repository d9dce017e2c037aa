// `gemm` benchmark: fp32 matrix-multiply throughput of the BLAS libtorch uses, at the shapes the decoder runs
// (decode rows × hidden × out) and one large square, so a slow decoding rate can be told apart from a slow BLAS.
using System.Diagnostics;
using Ispo.Models.Cpu;
using static TorchSharp.torch;

namespace Ispo.Bench;

public static class GemmBench
{
    public static int Run(TextWriter output, int threads)
    {
        set_num_threads(threads);
        output.WriteLine($"fp32 matmul, {get_num_threads()} threads (GFLOPS: x[m,k]·w[k,n] / linear(x, w[n,k]) / w[n,k]·xᵀ / our packed kernel)");
        foreach ((int m, int k, int n) in new[] { (1, 320, 8192), (16, 320, 8192), (16, 320, 960), (16, 320, 1728), (16, 864, 320), (2048, 320, 960), (1024, 1024, 1024) })
        {
            using Tensor x = randn(m, k), w = randn(k, n), wOutIn = w.t().contiguous();
            double plain = Gflops(() => x.matmul(w), m, k, n);
            double linear = Gflops(() => nn.functional.linear(x, wOutIn), m, k, n);
            double transposed = Gflops(() => wOutIn.matmul(x.t()), m, k, n);
            double packed = PackedGflops(x, wOutIn, threads);
            output.WriteLine($"  m={m,5} k={k,5} n={n,5}: {plain,7:F1} / {linear,7:F1} / {transposed,7:F1} / {packed,7:F1}");
        }
        return 0;
    }

    static unsafe double PackedGflops(Tensor x, Tensor wOutIn, int threads)
    {
        if (!PackedWeight.IsSupported) return double.NaN;
        int m = (int)x.shape[0], k = (int)x.shape[1], n = (int)wOutIn.shape[0];
        using var packed = new PackedWeight(TensorPointers.Floats(wOutIn), n, k);
        using Tensor y = empty(m, n);
        float* xs = TensorPointers.Floats(x), ys = TensorPointers.Floats(y);
        return Gflops(() =>
        {
            packed.Multiply(xs, m, ys, threads);
            return empty(0);
        }, m, k, n);
    }

    static double Gflops(Func<Tensor> op, int m, int k, int n)
    {
        for (int i = 0; i < 3; i++) op().Dispose();
        int reps = Math.Max(3, (int)(2e9 / (2.0 * m * k * n)));
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < reps; i++) op().Dispose();
        return 2.0 * m * k * n * reps / clock.Elapsed.TotalSeconds / 1e9;
    }
}
