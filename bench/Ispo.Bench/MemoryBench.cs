// `memory` benchmark: read bandwidth from main memory with 1 and 2 threads. Decoding one row streams every weight
// once per token (40 MB for the "10M" model), so this bounds the batch-1 decoding rate.
using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Ispo.Bench;

public static unsafe class MemoryBench
{
    static double Sink; // the sums, so that the loads cannot be dropped

    public static int Run(TextWriter output, int megabytes = 512)
    {
        long floats = megabytes * 1024L * 1024 / sizeof(float);
        float* data = (float*)NativeMemory.AlignedAlloc((nuint)(floats * sizeof(float)), 64);
        try
        {
            for (long i = 0; i < floats; i++) data[i] = 1f;
            foreach (int threads in new[] { 1, 2 })
            {
                double best = 0;
                for (int rep = 0; rep < 5; rep++) best = Math.Max(best, Rate(data, floats, threads));
                output.WriteLine($"read {megabytes} MiB, {threads} thread(s): {best:F1} GB/s (best of 5)");
            }
        }
        finally
        {
            NativeMemory.AlignedFree(data);
        }
        return 0;
    }

    static double Rate(float* data, long floats, int threads)
    {
        nint start = (nint)data;
        var clock = Stopwatch.StartNew();
        double total = 0;
        Parallel.For(0, threads, t =>
        {
            float* p = (float*)start;
            long first = t * floats / threads & ~15L, end = (t + 1) * floats / threads & ~15L;
            Vector256<float> a = default, b = default;
            for (long i = first; i < end; i += 16)
            {
                a += Vector256.Load(p + i);
                b += Vector256.Load(p + i + 8);
            }
            lock (clock) total += Vector256.Sum(a + b);
        });
        Sink = total;
        return floats * sizeof(float) / clock.Elapsed.TotalSeconds / 1e9;
    }
}
