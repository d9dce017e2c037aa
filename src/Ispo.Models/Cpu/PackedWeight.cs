// An fp32 weight packed once into column panels for x·W with our own FMA kernels: 32-column panels for AVX-512 (two
// 16-float vectors, 8 rows a tile), else 16-column panels for AVX2 (two 8-float vectors, 6 rows a tile). libtorch's
// MKL takes an AVX2-only path on AMD CPUs and re-packs the weight on every call, which cost ~40% of a decoding step
// and, with AVX-512 here, half the speed of a training step's matmuls. Each output is a plain k-ordered FMA chain,
// so results do not depend on M, the thread count or the panel width.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ispo.Models.Cpu;

internal sealed unsafe class PackedWeight : IDisposable
{
    const int L2Bytes = 192 * 1024; // weight panels per block: they stay in L2 while every row tile passes over them
    const long SerialFlops = 1L << 19; // below this the thread hand-off costs more than it saves
    const int RowsInCacheBytes = 64 * 1024; // rows this small stay in L1/L2 while every panel passes over them
    const int WideL2Bytes = 384 * 1024; // AVX-512 CPUs (Zen 4/5, recent Xeons) have 1–2 MiB of L2
    const int DepthChunk = 384; // wide panels: a row tile's chunk (8 rows) is 12 KiB, in L1 over a block of panels

    /// <summary>Columns per wide panel: two 16-float AVX-512 vectors.</summary>
    public const int WideColumns = 32;

    public static bool IsSupported => Fma.IsSupported && Avx2.IsSupported;
    /// <summary>Whether new weights take 32-column AVX-512 panels (else 16-column AVX2 ones).</summary>
    public static bool WideByDefault => Avx512F.IsSupported;

    float* panels; // [P][K][width], zero-padded past N; or, for a view, the matrix [K,N] itself
    readonly bool view;
    float* bias;   // [P·width] or null
    readonly int width, tileRows;
    public int K { get; }
    public int N { get; }
    /// <summary>Columns per panel: 32 (AVX-512) or 16 (AVX2).</summary>
    public int PanelWidth => width;
    /// <summary>Column panels: the unit in which threads split the columns.</summary>
    public int PanelCount => (N + width - 1) / width;

    PackedWeight(int n, int k, bool wide)
    {
        if (!IsSupported) throw new PlatformNotSupportedException("PackedWeight needs AVX2 and FMA");
        if (wide && !Avx512F.IsSupported) throw new PlatformNotSupportedException("wide panels need AVX-512");
        (K, N, width, tileRows) = (k, n, wide ? WideColumns : 16, wide ? 8 : 6);
        panels = (float*)NativeMemory.AlignedAlloc((nuint)PanelCount * (nuint)width * (nuint)k * sizeof(float), 64);
    }

    /// <summary>Packs <paramref name="weight"/> [N,K] row-major (a Linear layer's [out, in]) and an optional bias [N]
    /// (null: none). Whole panels go through 8×8 transposes in registers, the rest element by element.</summary>
    public PackedWeight(float* weight, int n, int k, float* biasValues = null) : this(weight, n, k, biasValues, WideByDefault)
    {
    }

    public PackedWeight(float* weight, int n, int k, float* biasValues, bool wide) : this(n, k, wide)
    {
        for (int p = 0; p < PanelCount; p++)
        {
            float* panel = panels + (long)p * k * width, first = weight + (long)p * width * k;
            int cols = Math.Min(width, n - p * width), transposed = cols == width ? k / 8 * 8 : 0;
            if (cols < width) new Span<float>(panel, k * width).Clear();
            for (int row = 0; row < transposed; row += 8)
                for (int block = 0; block < width; block += 8)
                    Transpose8x8(first + block * (long)k + row, k, panel + row * width + block, width);
            for (int col = 0; col < cols; col++)
                for (int row = transposed; row < k; row++) panel[row * width + col] = first[(long)col * k + row];
        }
        if (biasValues is null) return;
        nuint padded = (nuint)PanelCount * (nuint)width;
        bias = (float*)NativeMemory.AlignedAlloc(padded * sizeof(float), 64);
        Span<float> b = new(bias, (int)padded);
        b.Clear();
        new Span<float>(biasValues, n).CopyTo(b);
    }

    PackedWeight(float* matrix, int k, int n) // a view: the matrix [K,N] itself as wide panels
    {
        (K, N, width, tileRows, view) = (k, n, WideColumns, 8, true);
        panels = matrix;
    }

    /// <summary>The right operand B [K,N] row-major of x·B as it is (no transpose): how a backward pass multiplies
    /// by a weight [out, in] or by activations [rows, features]. Wide panels of a 64-byte-aligned matrix whose N is
    /// a multiple of 32 are the matrix itself, used in place (it must outlive the result): copying a large operand
    /// used once would buy nothing but contiguity. Otherwise the panels are a packed copy.</summary>
    public static PackedWeight FromRows(float* matrix, int k, int n, bool wide)
    {
        if (wide && Avx512F.IsSupported && n % WideColumns == 0 && (nint)matrix % 64 == 0) return new PackedWeight(matrix, k, n);
        var packed = new PackedWeight(n, k, wide);
        int w = packed.width;
        for (int p = 0; p < packed.PanelCount; p++)
        {
            float* panel = packed.panels + (long)p * k * w, first = matrix + p * w;
            int cols = Math.Min(w, n - p * w);
            for (int row = 0; row < k; row++)
            {
                Span<float> dst = new(panel + (long)row * w, w);
                new Span<float>(first + (long)row * n, cols).CopyTo(dst);
                if (cols < w) dst[cols..].Clear();
            }
        }
        return packed;
    }

    /// <summary>dst [cols, rows] = srcᵀ for src [rows, cols], both row-major: 8×8 blocks in registers, the edges
    /// element by element. Blocks go down the source's columns, so each of the 8 destination rows being written is
    /// filled front to back; across them (power-of-two row lengths map every row to one cache set) the source's
    /// lines come back from L2.</summary>
    public static void Transpose(float* src, int rows, int cols, float* dst)
    {
        int fullRows = rows / 8 * 8, fullCols = cols / 8 * 8;
        for (int j = 0; j < fullCols; j += 8)
        {
            for (int i = 0; i < fullRows; i += 8) Transpose8x8(src + (long)i * cols + j, cols, dst + (long)j * rows + i, rows);
            for (int c = j; c < j + 8; c++)
                for (int i = fullRows; i < rows; i++) dst[(long)c * rows + i] = src[(long)i * cols + c];
        }
        for (int c = fullCols; c < cols; c++)
            for (int i = 0; i < rows; i++) dst[(long)c * rows + i] = src[(long)i * cols + c];
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
    /// within it row tile by row tile, so that the rows are read once per block. With wide panels a long K is cut
    /// into depth chunks, each adding to the outputs of the last, so that a row tile's chunk stays in L1 and a block
    /// holds several panels.</summary>
    public void MultiplyPanels(float* x, int m, float* y, int firstPanel, int endPanel) =>
        MultiplyPanels(x, K, m, y, firstPanel, endPanel, K);

    /// <summary>y[·, panels) = x·W over the first <paramref name="depth"/> rows of W only (the rest of each row of x
    /// counts as zero), for x rows <paramref name="lda"/> floats apart: causal attention's blocks of rows.</summary>
    public void MultiplyPanels(float* x, int lda, int m, float* y, int firstPanel, int endPanel, int depth)
    {
        float* scratch = stackalloc float[8 * 32];
        if ((long)m * depth * sizeof(float) <= RowsInCacheBytes)
        {
            for (int p = firstPanel; p < endPanel; p++)
                for (int r = 0; r < m; r += tileRows) TileAt(x, lda, m, y, r, p, p + 1 < endPanel ? p + 1 : p, 0, depth, scratch);
            return;
        }
        int chunks = width == WideColumns ? (depth + DepthChunk - 1) / DepthChunk : 1, blockBytes = width == WideColumns ? WideL2Bytes : L2Bytes;
        for (int chunk = 0; chunk < chunks; chunk++)
        {
            int k0 = (int)((long)depth * chunk / chunks), k1 = (int)((long)depth * (chunk + 1) / chunks);
            int blockPanels = Math.Max(1, blockBytes / ((k1 - k0) * width * sizeof(float)));
            for (int p0 = firstPanel; p0 < endPanel; p0 += blockPanels)
            {
                int pEnd = Math.Min(endPanel, p0 + blockPanels);
                for (int r = 0; r < m; r += tileRows)
                    for (int p = p0; p < pEnd; p++)
                        TileAt(x, lda, m, y, r, p, p, k0, k1, scratch);
            }
        }
    }

    float* PanelAt(int p, int k0) => view ? panels + (long)k0 * N + p * width : panels + ((long)p * K + k0) * width;

    /// <summary>Depths [k0, k1) of rows [r, r+tileRows) of panel p, added to what the earlier depths left in y
    /// (k0 > 0) or to the bias; touches panel <paramref name="prefetchPanel"/>'s lines as it goes.</summary>
    void TileAt(float* x, int lda, int m, float* y, int r, int p, int prefetchPanel, int k0, int k1, float* scratch)
    {
        int rows = Math.Min(tileRows, m - r), cols = Math.Min(width, N - p * width);
        float* a = x + (long)r * lda + k0;
        float* panel = PanelAt(p, k0), next = PanelAt(prefetchPanel, k0), outputs = y + (long)r * N + p * width;
        // a partial panel goes through a scratch tile so that the kernel always stores whole vectors
        float* c = cols == width ? outputs : scratch;
        int ldc = cols == width ? N : width;
        if (cols < width && k0 > 0) CopyRows(outputs, N, scratch, width, rows, cols);
        float* panelBias = bias is null || k0 > 0 ? null : bias + p * width;
        if (width == WideColumns) WideTile(rows, a, lda, panel, next, k1 - k0, c, ldc, panelBias, accumulate: k0 > 0);
        else NarrowTile(rows, a, lda, panel, next, k1, c, ldc, panelBias);
        if (cols < width) CopyRows(scratch, width, outputs, N, rows, cols);
    }

    static void CopyRows(float* from, int fromStride, float* to, int toStride, int rows, int cols)
    {
        for (int i = 0; i < rows; i++)
            new Span<float>(from + (long)i * fromStride, cols).CopyTo(new Span<float>(to + (long)i * toStride, cols));
    }

    void NarrowTile(int rows, float* a, int lda, float* panel, float* next, int k, float* c, int ldc, float* bias)
    {
        Vector256<float> init0 = bias is null ? default : Avx.LoadAlignedVector256(bias);
        Vector256<float> init1 = bias is null ? default : Avx.LoadAlignedVector256(bias + 8);
        switch (rows)
        {
            case 6: Tile<Six>(a, lda, panel, next, k, c, ldc, init0, init1); break;
            case 5: Tile<Five>(a, lda, panel, next, k, c, ldc, init0, init1); break;
            case 4: Tile<Four>(a, lda, panel, next, k, c, ldc, init0, init1); break;
            case 3: Tile<Three>(a, lda, panel, next, k, c, ldc, init0, init1); break;
            case 2: Tile<Two>(a, lda, panel, next, k, c, ldc, init0, init1); break;
            default: Tile<One>(a, lda, panel, next, k, c, ldc, init0, init1); break;
        }
    }

    /// <summary>The outputs start at c when <paramref name="accumulate"/> (a later depth chunk), else at the bias
    /// (null: zero).</summary>
    void WideTile(int rows, float* a, int lda, float* panel, float* next, int k, float* c, int ldc, float* bias, bool accumulate)
    {
        if (accumulate)
        {
            WideRows<Continue>(rows, a, lda, panel, next, k, c, ldc, default, default);
            return;
        }
        Vector512<float> init0 = bias is null ? default : Avx512F.LoadAlignedVector512(bias);
        Vector512<float> init1 = bias is null ? default : Avx512F.LoadAlignedVector512(bias + 16);
        WideRows<Fresh>(rows, a, lda, panel, next, k, c, ldc, init0, init1);
    }

    void WideRows<S>(int rows, float* a, int lda, float* panel, float* next, int k, float* c, int ldc, Vector512<float> init0, Vector512<float> init1)
        where S : struct, IStart
    {
        long stride = view ? N : width; // floats from one depth of a panel to the next
        switch (rows)
        {
            case 8: Tile512<Eight, S>(a, lda, panel, next, stride, k, c, ldc, init0, init1); break;
            case 7: Tile512<Seven, S>(a, lda, panel, next, stride, k, c, ldc, init0, init1); break;
            case 6: Tile512<Six, S>(a, lda, panel, next, stride, k, c, ldc, init0, init1); break;
            case 5: Tile512<Five, S>(a, lda, panel, next, stride, k, c, ldc, init0, init1); break;
            case 4: Tile512<Four, S>(a, lda, panel, next, stride, k, c, ldc, init0, init1); break;
            case 3: Tile512<Three, S>(a, lda, panel, next, stride, k, c, ldc, init0, init1); break;
            case 2: Tile512<Two, S>(a, lda, panel, next, stride, k, c, ldc, init0, init1); break;
            default: Tile512<One, S>(a, lda, panel, next, stride, k, c, ldc, init0, init1); break;
        }
    }

    interface IRows { static abstract int Count { get; } }
    struct One : IRows { public static int Count => 1; }
    struct Two : IRows { public static int Count => 2; }
    struct Three : IRows { public static int Count => 3; }
    struct Four : IRows { public static int Count => 4; }
    struct Five : IRows { public static int Count => 5; }
    struct Six : IRows { public static int Count => 6; }
    struct Seven : IRows { public static int Count => 7; }
    struct Eight : IRows { public static int Count => 8; }

    /// <summary>Whether a tile starts from the outputs already in c (a later depth chunk) or from its init vectors.</summary>
    interface IStart { static abstract bool FromOutput { get; } }
    struct Fresh : IStart { public static bool FromOutput => false; }
    struct Continue : IStart { public static bool FromOutput => true; }

    /// <summary>R rows × 16 columns: c[r, 0..16) = bias + Σ_k a[r,k]·panel[k,·]. The JIT specialises each R and
    /// drops the unused rows' code; the body has no branch besides the loop, or RyuJIT spills the accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Tile<R>(float* a, int lda, float* panel, float* next, int k, float* c, int ldc, Vector256<float> init0, Vector256<float> init1)
        where R : struct, IRows
    {
        Vector256<float> c00 = init0, c01 = init1, c10 = init0, c11 = init1, c20 = init0, c21 = init1, c30 = init0, c31 = init1;
        Vector256<float> c40 = init0, c41 = init1, c50 = init0, c51 = init1;
        float* a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda, a4 = a + 4 * lda, a5 = a + 5 * lda;
        for (int p = 0; p < k; p++, panel += 16, next += 16)
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

    /// <summary>Tile's AVX-512 twin: R rows × 32 columns, c[r, 0..32) = bias + Σ_k a[r,k]·panel[k,·].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Tile512<R, S>(float* a, int lda, float* panel, float* next, long ldb, int k, float* c, int ldc,
        Vector512<float> init0, Vector512<float> init1) where R : struct, IRows where S : struct, IStart
    {
        Vector512<float> c00 = init0, c01 = init1, c10 = init0, c11 = init1, c20 = init0, c21 = init1, c30 = init0, c31 = init1;
        Vector512<float> c40 = init0, c41 = init1, c50 = init0, c51 = init1, c60 = init0, c61 = init1, c70 = init0, c71 = init1;
        if (S.FromOutput)
        {
            c00 = Avx512F.LoadVector512(c);
            c01 = Avx512F.LoadVector512(c + 16);
            if (R.Count > 1)
            {
                c10 = Avx512F.LoadVector512(c + ldc);
                c11 = Avx512F.LoadVector512(c + ldc + 16);
            }
            if (R.Count > 2)
            {
                c20 = Avx512F.LoadVector512(c + 2 * ldc);
                c21 = Avx512F.LoadVector512(c + 2 * ldc + 16);
            }
            if (R.Count > 3)
            {
                c30 = Avx512F.LoadVector512(c + 3 * ldc);
                c31 = Avx512F.LoadVector512(c + 3 * ldc + 16);
            }
            if (R.Count > 4)
            {
                c40 = Avx512F.LoadVector512(c + 4 * ldc);
                c41 = Avx512F.LoadVector512(c + 4 * ldc + 16);
            }
            if (R.Count > 5)
            {
                c50 = Avx512F.LoadVector512(c + 5 * ldc);
                c51 = Avx512F.LoadVector512(c + 5 * ldc + 16);
            }
            if (R.Count > 6)
            {
                c60 = Avx512F.LoadVector512(c + 6 * ldc);
                c61 = Avx512F.LoadVector512(c + 6 * ldc + 16);
            }
            if (R.Count > 7)
            {
                c70 = Avx512F.LoadVector512(c + 7 * ldc);
                c71 = Avx512F.LoadVector512(c + 7 * ldc + 16);
            }
        }
        float* a1 = a + lda, a2 = a + 2 * lda, a3 = a + 3 * lda, a4 = a + 4 * lda, a5 = a + 5 * lda, a6 = a + 6 * lda, a7 = a + 7 * lda;
        for (int p = 0; p < k; p++, panel += ldb, next += ldb)
        {
            Sse.Prefetch0(next);
            Sse.Prefetch0(next + 16);
            Vector512<float> b0 = Avx512F.LoadAlignedVector512(panel), b1 = Avx512F.LoadAlignedVector512(panel + 16);
            Vector512<float> v = Vector512.Create(a[p]);
            c00 = Avx512F.FusedMultiplyAdd(v, b0, c00);
            c01 = Avx512F.FusedMultiplyAdd(v, b1, c01);
            if (R.Count > 1)
            {
                v = Vector512.Create(a1[p]);
                c10 = Avx512F.FusedMultiplyAdd(v, b0, c10);
                c11 = Avx512F.FusedMultiplyAdd(v, b1, c11);
            }
            if (R.Count > 2)
            {
                v = Vector512.Create(a2[p]);
                c20 = Avx512F.FusedMultiplyAdd(v, b0, c20);
                c21 = Avx512F.FusedMultiplyAdd(v, b1, c21);
            }
            if (R.Count > 3)
            {
                v = Vector512.Create(a3[p]);
                c30 = Avx512F.FusedMultiplyAdd(v, b0, c30);
                c31 = Avx512F.FusedMultiplyAdd(v, b1, c31);
            }
            if (R.Count > 4)
            {
                v = Vector512.Create(a4[p]);
                c40 = Avx512F.FusedMultiplyAdd(v, b0, c40);
                c41 = Avx512F.FusedMultiplyAdd(v, b1, c41);
            }
            if (R.Count > 5)
            {
                v = Vector512.Create(a5[p]);
                c50 = Avx512F.FusedMultiplyAdd(v, b0, c50);
                c51 = Avx512F.FusedMultiplyAdd(v, b1, c51);
            }
            if (R.Count > 6)
            {
                v = Vector512.Create(a6[p]);
                c60 = Avx512F.FusedMultiplyAdd(v, b0, c60);
                c61 = Avx512F.FusedMultiplyAdd(v, b1, c61);
            }
            if (R.Count > 7)
            {
                v = Vector512.Create(a7[p]);
                c70 = Avx512F.FusedMultiplyAdd(v, b0, c70);
                c71 = Avx512F.FusedMultiplyAdd(v, b1, c71);
            }
        }
        Store(c, c00, c01);
        if (R.Count > 1) Store(c + ldc, c10, c11);
        if (R.Count > 2) Store(c + 2 * ldc, c20, c21);
        if (R.Count > 3) Store(c + 3 * ldc, c30, c31);
        if (R.Count > 4) Store(c + 4 * ldc, c40, c41);
        if (R.Count > 5) Store(c + 5 * ldc, c50, c51);
        if (R.Count > 6) Store(c + 6 * ldc, c60, c61);
        if (R.Count > 7) Store(c + 7 * ldc, c70, c71);
    }

    static void Store(float* c, Vector512<float> left, Vector512<float> right)
    {
        Avx512F.Store(c, left);
        Avx512F.Store(c + 16, right);
    }

    public void Dispose()
    {
        if (!view) NativeMemory.AlignedFree(panels);
        NativeMemory.AlignedFree(bias);
        panels = bias = null;
    }
}
