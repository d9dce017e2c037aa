// An fp32 weight [K,N] packed once into 16-column panels for x·W with an AVX2/FMA kernel. libtorch's MKL re-packs the
// weight on every call on AMD CPUs (its generic path), which cost ~40% of a decoding step; here packing happens once,
// at FreezeForInference. Each output is a plain k-ordered FMA chain, so results do not depend on M or the thread count.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ispo.Models.Modules;

internal sealed unsafe class PackedWeight : IDisposable
{
    const int Width = 16;     // columns per panel: two 8-float vectors
    const int TileRows = 6;   // rows per kernel call: 12 accumulators + 2 weight vectors + 1 broadcast fit 16 registers
    const int L2Bytes = 192 * 1024; // weight panels per block: they stay in L2 while every row tile passes over them
    const long SerialFlops = 1L << 19; // below this the thread hand-off costs more than it saves
    const int RowsInCacheBytes = 64 * 1024; // rows this small stay in L1/L2 while every panel passes over them

    public static bool IsSupported => Fma.IsSupported && Avx2.IsSupported;

    float* panels; // [P][K][16], zero-padded past N
    float* bias;   // [P·16] or null
    public int K { get; }
    public int N { get; }
    /// <summary>16-column panels: the unit in which threads split the columns.</summary>
    public int PanelCount => (N + Width - 1) / Width;

    /// <summary>Packs <paramref name="weight"/> [N,K] row-major (a Linear layer's [out, in]) and an optional bias [N]
    /// (null: none). Whole panels go through 8×8 transposes in registers, the rest element by element.</summary>
    public PackedWeight(float* weight, int n, int k, float* biasValues = null)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("PackedWeight needs AVX2 and FMA");
        (K, N) = (k, n);
        nuint padded = (nuint)PanelCount * Width;
        panels = (float*)NativeMemory.AlignedAlloc(padded * (nuint)k * sizeof(float), 64);
        for (int p = 0; p < PanelCount; p++)
        {
            float* panel = panels + (long)p * k * Width, first = weight + (long)p * Width * k;
            int cols = Math.Min(Width, n - p * Width), transposed = cols == Width ? k / 8 * 8 : 0;
            if (cols < Width) new Span<float>(panel, k * Width).Clear();
            for (int row = 0; row < transposed; row += 8)
            {
                Transpose8x8(first + row, k, panel + row * Width, Width);
                Transpose8x8(first + 8L * k + row, k, panel + row * Width + 8, Width);
            }
            for (int col = 0; col < cols; col++)
                for (int row = transposed; row < k; row++) panel[row * Width + col] = first[(long)col * k + row];
        }
        if (biasValues is null) return;
        bias = (float*)NativeMemory.AlignedAlloc(padded * sizeof(float), 64);
        Span<float> b = new(bias, (int)padded);
        b.Clear();
        new Span<float>(biasValues, n).CopyTo(b);
    }

    /// <summary>dst[j·dstStride + i] = src[i·srcStride + j] for i, j in [0, 8).</summary>
    static void Transpose8x8(float* src, long srcStride, float* dst, int dstStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + srcStride),
            r2 = Avx.LoadVector256(src + 2 * srcStride), r3 = Avx.LoadVector256(src + 3 * srcStride),
            r4 = Avx.LoadVector256(src + 4 * srcStride), r5 = Avx.LoadVector256(src + 5 * srcStride),
            r6 = Avx.LoadVector256(src + 6 * srcStride), r7 = Avx.LoadVector256(src + 7 * srcStride);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE), s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(s3, s7, 0x31));
    }

    /// <summary>y[m,N] = x[m,K]·W (+ bias); x and y row-major and contiguous.</summary>
    public void Multiply(float* x, int m, float* y, int threads)
    {
        ObjectDisposedException.ThrowIf(panels is null, this);
        int count = PanelCount;
        threads = Math.Clamp(threads, 1, count);
        if (threads == 1 || 2L * m * K * N < SerialFlops)
        {
            MultiplyPanels(x, m, y, 0, count);
            return;
        }
        nint xs = (nint)x, ys = (nint)y;
        Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads },
            t => MultiplyPanels((float*)xs, m, (float*)ys, t * count / threads, (t + 1) * count / threads));
    }

    /// <summary>y[·, panels) for panels [firstPanel, endPanel) of all m rows. Few rows (decoding) go panel by panel,
    /// every row tile over a panel while it is in L1, prefetching the next panel meanwhile, so that streaming the
    /// weights from memory overlaps the arithmetic. Many rows go a block of panels (that stays in L2) at a time and
    /// within it row tile by row tile, so that the rows are read once per block.</summary>
    public void MultiplyPanels(float* x, int m, float* y, int firstPanel, int endPanel)
    {
        if ((long)m * K * sizeof(float) > RowsInCacheBytes)
        {
            MultiplyBlocks(x, m, y, firstPanel, endPanel);
            return;
        }
        float* scratch = stackalloc float[TileRows * Width];
        for (int p = firstPanel; p < endPanel; p++)
            for (int r = 0; r < m; r += TileRows) TileAt(x, m, y, r, p, p + 1 < endPanel ? p + 1 : p, scratch);
    }

    void MultiplyBlocks(float* x, int m, float* y, int firstPanel, int endPanel)
    {
        float* scratch = stackalloc float[TileRows * Width];
        int blockPanels = Math.Max(1, L2Bytes / (K * Width * sizeof(float)));
        for (int p0 = firstPanel; p0 < endPanel; p0 += blockPanels)
        {
            int pEnd = Math.Min(endPanel, p0 + blockPanels);
            for (int r = 0; r < m; r += TileRows)
                for (int p = p0; p < pEnd; p++)
                    TileAt(x, m, y, r, p, p, scratch);
        }
    }

    /// <summary>Rows [r, r+6) of panel p, touching panel <paramref name="prefetchPanel"/>'s lines as it goes.</summary>
    void TileAt(float* x, int m, float* y, int r, int p, int prefetchPanel, float* scratch)
    {
        int rows = Math.Min(TileRows, m - r);
        float* a = x + (long)r * K;
        float* panel = panels + (long)p * K * Width, next = panels + (long)prefetchPanel * K * Width;
        Vector256<float> init0 = bias is null ? default : Avx.LoadAlignedVector256(bias + p * Width);
        Vector256<float> init1 = bias is null ? default : Avx.LoadAlignedVector256(bias + p * Width + 8);
        int cols = Math.Min(Width, N - p * Width);
        // a partial panel goes through a 16-wide scratch tile so that the kernel always stores whole vectors
        float* c = cols == Width ? y + (long)r * N + p * Width : scratch;
        int ldc = cols == Width ? N : Width;
        switch (rows)
        {
            case 6: Tile<Six>(a, K, panel, next, K, c, ldc, init0, init1); break;
            case 5: Tile<Five>(a, K, panel, next, K, c, ldc, init0, init1); break;
            case 4: Tile<Four>(a, K, panel, next, K, c, ldc, init0, init1); break;
            case 3: Tile<Three>(a, K, panel, next, K, c, ldc, init0, init1); break;
            case 2: Tile<Two>(a, K, panel, next, K, c, ldc, init0, init1); break;
            default: Tile<One>(a, K, panel, next, K, c, ldc, init0, init1); break;
        }
        if (cols < Width)
            for (int i = 0; i < rows; i++)
                new Span<float>(scratch + i * Width, cols).CopyTo(new Span<float>(y + (long)(r + i) * N + p * Width, cols));
    }

    interface IRows { static abstract int Count { get; } }
    struct One : IRows { public static int Count => 1; }
    struct Two : IRows { public static int Count => 2; }
    struct Three : IRows { public static int Count => 3; }
    struct Four : IRows { public static int Count => 4; }
    struct Five : IRows { public static int Count => 5; }
    struct Six : IRows { public static int Count => 6; }

    /// <summary>R rows × 16 columns: c[r, 0..16) = bias + Σ_k a[r,k]·panel[k,·]. The JIT specialises each R and
    /// drops the unused rows' code; the body has no branch besides the loop, or RyuJIT spills the accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Tile<R>(float* a, int lda, float* panel, float* next, int k, float* c, int ldc, Vector256<float> init0, Vector256<float> init1)
        where R : struct, IRows
    {
        Vector256<float> c00 = init0, c01 = init1, c10 = init0, c11 = init1, c20 = init0, c21 = init1, c30 = init0, c31 = init1;
        Vector256<float> c40 = init0, c41 = init1, c50 = init0, c51 = init1;
        float* a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda, a4 = a + 4 * lda, a5 = a + 5 * lda;
        for (int p = 0; p < k; p++, panel += Width, next += Width)
        {
            Sse.Prefetch0(next);
            Vector256<float> b0 = Avx.LoadAlignedVector256(panel), b1 = Avx.LoadAlignedVector256(panel + 8);
            Vector256<float> v = Vector256.Create(a[p]);
            c00 = Fma.MultiplyAdd(v, b0, c00);
            c01 = Fma.MultiplyAdd(v, b1, c01);
            if (R.Count > 1)
            {
                v = Vector256.Create(a1[p]);
                c10 = Fma.MultiplyAdd(v, b0, c10);
                c11 = Fma.MultiplyAdd(v, b1, c11);
            }
            if (R.Count > 2)
            {
                v = Vector256.Create(a2[p]);
                c20 = Fma.MultiplyAdd(v, b0, c20);
                c21 = Fma.MultiplyAdd(v, b1, c21);
            }
            if (R.Count > 3)
            {
                v = Vector256.Create(a3[p]);
                c30 = Fma.MultiplyAdd(v, b0, c30);
                c31 = Fma.MultiplyAdd(v, b1, c31);
            }
            if (R.Count > 4)
            {
                v = Vector256.Create(a4[p]);
                c40 = Fma.MultiplyAdd(v, b0, c40);
                c41 = Fma.MultiplyAdd(v, b1, c41);
            }
            if (R.Count > 5)
            {
                v = Vector256.Create(a5[p]);
                c50 = Fma.MultiplyAdd(v, b0, c50);
                c51 = Fma.MultiplyAdd(v, b1, c51);
            }
        }
        Avx.Store(c, c00);
        Avx.Store(c + 8, c01);
        if (R.Count > 1)
        {
            Avx.Store(c + ldc, c10);
            Avx.Store(c + ldc + 8, c11);
        }
        if (R.Count > 2)
        {
            Avx.Store(c + 2 * ldc, c20);
            Avx.Store(c + 2 * ldc + 8, c21);
        }
        if (R.Count > 3)
        {
            Avx.Store(c + 3 * ldc, c30);
            Avx.Store(c + 3 * ldc + 8, c31);
        }
        if (R.Count > 4)
        {
            Avx.Store(c + 4 * ldc, c40);
            Avx.Store(c + 4 * ldc + 8, c41);
        }
        if (R.Count > 5)
        {
            Avx.Store(c + 5 * ldc, c50);
            Avx.Store(c + 5 * ldc + 8, c51);
        }
    }

    public void Dispose()
    {
        NativeMemory.AlignedFree(panels);
        NativeMemory.AlignedFree(bias);
        panels = bias = null;
    }
}
