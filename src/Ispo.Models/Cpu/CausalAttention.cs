// Causal attention softmax(q·kᵀ/√D + mask)·v over a whole sequence (no cached past) for fp32 CPU tensors, on our
// matmul kernels (PackedWeight), forward and backward, as a TorchSharp custom autograd function. libtorch's CPU flash
// attention took 25 ms per layer (forward + backward) at the "10M" model's training shape [8,5,256,64], ~18% of a
// step: its small matmuls run on MKL's AVX2 kernels. Here each head is a few whole-sequence matmuls over blocks of 32
// query rows, each block only as far as its causal reach; heads are split over threads. A head's scores live in a
// [T,T] scratch, so sequences longer than MaxLength keep libtorch's kernel.
using Ispo.Models.Modules;
using Ispo.Models.Runtime;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Ispo.Models.Cpu;

internal sealed unsafe class CausalAttention : SingleTensorFunction<CausalAttention>
{
    const int MaxLength = 2048; // three [T,T] scratch matrices per thread: 48 MiB at this length
    const int Block = 32;       // query rows per causal block

    public override string Name => nameof(CausalAttention);

    /// <summary>Whether attention runs here: fp32 CPU tensors, queries over their own keys (T = S, no past), and
    /// either no mask or an additive [B,1,T,T] one that is causal (AttentionMasks.Build without a past).</summary>
    public static bool Supports(Tensor q, Tensor k, Tensor? mask) =>
        PackedWeight.IsSupported && q.dtype == ScalarType.Float32 && k.dtype == ScalarType.Float32 && q.device_type == DeviceType.CPU
        && q.shape[2] == k.shape[2] && q.shape[2] <= MaxLength && q.numel() > 0 && q.shape[1] % k.shape[1] == 0
        && (mask is null || (mask.dtype == ScalarType.Float32 && mask.device_type == DeviceType.CPU
            && mask.shape.SequenceEqual(new[] { q.shape[0], 1, q.shape[2], q.shape[2] })));

    /// <summary>q [B,H,T,D], k and v [B,Hkv,T,D] (H a multiple of Hkv: query head h reads kv head h / (H/Hkv)),
    /// mask [B,1,T,T] or null -> [B,H,T,D]. Keys after a query are masked whatever the mask holds there. Without
    /// gradients the output is kept in <paramref name="record"/>; with them, a recorded output is taken as computed.</summary>
    public static Tensor Apply(Tensor q, Tensor k, Tensor v, Tensor? mask, AttentionRecord? record = null)
    {
        if (is_grad_enabled() && (q.requires_grad || k.requires_grad || v.requires_grad))
            return mask is null ? apply(q, k, v, record) : apply(q, k, v, mask, record);
        using var _ = no_grad();
        if (record?.Output is { } kept) return kept.detach(); // nothing before it trains: the recompute only passes it on
        using Tensor logSumExp = empty(q.shape[0], q.shape[1], q.shape[2]);
        Tensor o = Forward(q.contiguous(), k.contiguous(), v.contiguous(), mask?.contiguous(), logSumExp);
        record?.Keep(o, logSumExp);
        return o;
    }

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        Tensor q = ((Tensor)vars[0]).contiguous(), k = ((Tensor)vars[1]).contiguous(), v = ((Tensor)vars[2]).contiguous();
        Tensor? mask = vars.Length > 4 ? ((Tensor)vars[3]).contiguous() : null;
        Tensor o, logSumExp;
        if (vars[^1] is AttentionRecord { Output: { } kept, LogSumExp: { } keptLogSumExp })
            (o, logSumExp) = (kept.detach(), keptLogSumExp);
        else
        {
            logSumExp = empty(q.shape[0], q.shape[1], q.shape[2]);
            o = Forward(q, k, v, mask, logSumExp);
        }
        Tensor output = o.detach(); // the values, without tying the saved copy to this node's own output
        ctx.save_for_backward(mask is null ? [q, k, v, output, logSumExp] : [q, k, v, output, logSumExp, mask]);
        return o;
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad) => CustomBackward.Run(grad, () =>
    {
        List<Tensor> saved = ctx.get_saved_variables();
        var shape = new Shape(saved[0], saved[1]);
        Tensor gradO = grad.contiguous(), gradQ = empty_like(saved[0]), gradK = empty_like(saved[1]), gradV = empty_like(saved[2]);
        var ptr = new Pointers(saved[0], saved[1], saved[2], saved[3], saved[4], saved.Count > 5 ? saved[5] : null, gradO, gradQ, gradK, gradV);
        ForEach(shape.B * shape.KvHeads, shape, (item, scratch) => BackwardKvHead(shape, ptr, item, scratch));
        return saved.Count > 5 ? [gradQ, gradK, gradV, null!, null!] : [gradQ, gradK, gradV, null!]; // q, k, v, mask, record
    });

    static Tensor Forward(Tensor q, Tensor k, Tensor v, Tensor? mask, Tensor logSumExp)
    {
        var shape = new Shape(q, k);
        Tensor o = empty_like(q);
        var ptr = new Pointers(q, k, v, o, logSumExp, mask, null, null, null, null);
        ForEach(shape.B * shape.Heads, shape, (item, scratch) => ForwardHead(shape, ptr, item, scratch));
        return o;
    }

    readonly record struct Shape(int B, int Heads, int KvHeads, int T, int D)
    {
        public Shape(Tensor q, Tensor k) : this((int)q.shape[0], (int)q.shape[1], (int)k.shape[1], (int)q.shape[2], (int)q.shape[3]) { }
        public int Groups => Heads / KvHeads;
        public float Scale => 1f / MathF.Sqrt(D);
        public long QueryHead(int b, int h) => ((long)b * Heads + h) * T * D;
        public long KvHead(int b, int h) => ((long)b * KvHeads + h / Groups) * T * D;
    }

    /// <summary>The tensors' data (null where absent), read by the heads' workers.</summary>
    sealed class Pointers(Tensor q, Tensor k, Tensor v, Tensor o, Tensor logSumExp, Tensor? mask, Tensor? gradO, Tensor? gradQ, Tensor? gradK, Tensor? gradV)
    {
        public readonly float* Q = F(q), K = F(k), V = F(v), O = F(o), LogSumExp = F(logSumExp), Mask = F(mask);
        public readonly float* GradO = F(gradO), GradQ = F(gradQ), GradK = F(gradK), GradV = F(gradV);
        static float* F(Tensor? t) => t is null ? null : TensorPointers.Floats(t);
    }

    /// <summary>Runs body(item, scratch) for items [0, count) over the torch threads; scratch is 3·T²+T·D floats per thread.</summary>
    static void ForEach(int count, Shape shape, Action<int, nint> body)
    {
        nuint floats = (nuint)(3L * shape.T * shape.T + (long)shape.T * shape.D);
        Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, get_num_threads()) },
            () => (nint)NativeMemory.AlignedAlloc(floats * sizeof(float), 64),
            (item, _, scratch) =>
            {
                body(item, scratch);
                return scratch;
            },
            scratch => NativeMemory.AlignedFree((void*)scratch));
    }

    static void ForwardHead(Shape s, Pointers p, int item, nint scratch)
    {
        (int b, int h) = (item / s.Heads, item % s.Heads);
        float* probs = (float*)scratch, q = p.Q + s.QueryHead(b, h), k = p.K + s.KvHead(b, h), v = p.V + s.KvHead(b, h);
        float* mask = p.Mask is null ? null : p.Mask + (long)b * s.T * s.T, logSumExp = p.LogSumExp + ((long)b * s.Heads + h) * s.T;
        using (var keysOut = new PackedWeight(k, s.T, s.D, null, PackedWeight.WideByDefault))
            CausalBlocks(keysOut, q, s.D, s.T, probs); // scores = q·kᵀ
        for (int i = 0; i < s.T; i++) logSumExp[i] = SoftmaxRow(probs + (long)i * s.T, mask is null ? null : mask + (long)i * s.T, i, s.T, s.Scale);
        using var values = PackedWeight.FromRows(v, s.T, s.D, PackedWeight.WideByDefault);
        CausalProduct(values, probs, s.T, p.O + s.QueryHead(b, h));
    }

    /// <summary>One kv head's gradients, summed over the query heads that read it.</summary>
    static void BackwardKvHead(Shape s, Pointers p, int item, nint scratch)
    {
        (int b, int kv) = (item / s.KvHeads, item % s.KvHeads);
        long t2 = (long)s.T * s.T, kvAt = ((long)b * s.KvHeads + kv) * s.T * s.D;
        float* probs = (float*)scratch, gradScores = probs + t2, transposed = gradScores + t2, part = transposed + t2;
        float* k = p.K + kvAt, v = p.V + kvAt, gradK = p.GradK + kvAt, gradV = p.GradV + kvAt;
        new Span<float>(gradK, s.T * s.D).Clear();
        new Span<float>(gradV, s.T * s.D).Clear();
        float* mask = p.Mask is null ? null : p.Mask + (long)b * t2;
        using var keys = PackedWeight.FromRows(k, s.T, s.D, PackedWeight.WideByDefault);
        using var keysOut = new PackedWeight(k, s.T, s.D, null, PackedWeight.WideByDefault); // packed once for the group
        using var valuesOut = new PackedWeight(v, s.T, s.D, null, PackedWeight.WideByDefault);
        for (int h = kv * s.Groups; h < (kv + 1) * s.Groups; h++)
        {
            long at = s.QueryHead(b, h);
            float* q = p.Q + at, o = p.O + at, gradO = p.GradO + at, logSumExp = p.LogSumExp + ((long)b * s.Heads + h) * s.T;
            CausalBlocks(keysOut, q, s.D, s.T, probs); // scores = q·kᵀ
            CausalBlocks(valuesOut, gradO, s.D, s.T, gradScores); // dP = dO·vᵀ
            for (int i = 0; i < s.T; i++)
            {
                long row = (long)i * s.T;
                float dot = Dot(gradO + (long)i * s.D, o + (long)i * s.D, s.D);
                ScoreGradientRow(probs + row, gradScores + row, mask is null ? null : mask + row, i, s.T, s.Scale, logSumExp[i], dot);
            }
            CausalProduct(keys, gradScores, s.T, p.GradQ + at); // dq = dS·k
            PackedWeight.Transpose(gradScores, s.T, s.T, transposed);
            AddProduct(transposed, q, s.T, s.D, gradK, part);   // dk += dSᵀ·q
            PackedWeight.Transpose(probs, s.T, s.T, transposed);
            AddProduct(transposed, gradO, s.T, s.D, gradV, part); // dv += Pᵀ·dO
        }
    }

    /// <summary>y [T,N] = x [T,·]·W for the columns within each block's causal reach (N = T); the rest is not written.</summary>
    static void CausalBlocks(PackedWeight w, float* x, int lda, int t, float* y)
    {
        int width = w.PanelWidth;
        for (int r0 = 0; r0 < t; r0 += Block)
        {
            int rows = Math.Min(Block, t - r0), reach = r0 + rows;
            w.MultiplyPanels(x + (long)r0 * lda, lda, rows, y + (long)r0 * w.N, 0, Math.Min(w.PanelCount, (reach + width - 1) / width), w.K);
        }
    }

    /// <summary>y [T,D] = a [T,T]·B with B = W's rows, each block of rows of a only as deep as its causal reach
    /// (a is zero beyond it).</summary>
    static void CausalProduct(PackedWeight w, float* a, int t, float* y)
    {
        for (int r0 = 0; r0 < t; r0 += Block)
        {
            int rows = Math.Min(Block, t - r0);
            w.MultiplyPanels(a + (long)r0 * t, t, rows, y + (long)r0 * w.N, 0, w.PanelCount, r0 + rows);
        }
    }

    /// <summary>sum += a [T,T]·b [T,D] (b's rows as they are); part holds T·D floats of scratch.</summary>
    static void AddProduct(float* a, float* b, int t, int d, float* sum, float* part)
    {
        using var rows = PackedWeight.FromRows(b, t, d, PackedWeight.WideByDefault);
        rows.Multiply(a, t, part, 1);
        DecodeKernels.Add(sum, part, t * d);
    }

    /// <summary>Row i of the scores becomes softmax(scores·scale + mask) over keys 0..i, and 0 after; returns the
    /// row's log-sum-exp.</summary>
    static float SoftmaxRow(float* row, float* mask, int i, int t, float scale)
    {
        int n = i + 1;
        float max = ScaleAndMask(row, mask, n, scale);
        float total = ExpInPlace(row, n, max);
        Multiply(row, n, 1 / total);
        new Span<float>(row + n, t - n).Clear();
        return max + MathF.Log(total);
    }

    /// <summary>Row i: p = exp(scores·scale + mask − lse), then dS = p·(dP − dO·o)·scale over keys 0..i, 0 after;
    /// the probabilities stay in <paramref name="probs"/> for dv.</summary>
    static void ScoreGradientRow(float* probs, float* gradScores, float* mask, int i, int t, float scale, float logSumExp, float dot)
    {
        int n = i + 1, j = 0;
        ScaleAndMask(probs, mask, n, scale);
        ExpInPlace(probs, n, logSumExp);
        for (Vector256<float> d = Vector256.Create(dot), c = Vector256.Create(scale); j <= n - 8; j += 8)
            (Vector256.Load(probs + j) * (Vector256.Load(gradScores + j) - d) * c).Store(gradScores + j);
        for (; j < n; j++) gradScores[j] = probs[j] * (gradScores[j] - dot) * scale;
        new Span<float>(probs + n, t - n).Clear();
        new Span<float>(gradScores + n, t - n).Clear();
    }

    /// <summary>x[j] = x[j]·scale + mask[j] (mask null: none) for j < n; returns their max.</summary>
    static float ScaleAndMask(float* x, float* mask, int n, float scale)
    {
        var top = Vector256.Create(float.NegativeInfinity);
        var c = Vector256.Create(scale);
        int j = 0;
        for (; j <= n - 8; j += 8)
        {
            var v = Vector256.Load(x + j) * c;
            if (mask is not null) v += Vector256.Load(mask + j);
            v.Store(x + j);
            top = Vector256.Max(top, v);
        }
        float max = Vector256.Max(top, Vector256.Shuffle(top, Vector256.Create(4, 5, 6, 7, 0, 1, 2, 3))) is var m
            ? MathF.Max(MathF.Max(m[0], m[1]), MathF.Max(m[2], m[3])) : 0;
        for (; j < n; j++)
        {
            x[j] = x[j] * scale + (mask is null ? 0 : mask[j]);
            max = MathF.Max(max, x[j]);
        }
        return max;
    }

    static void Multiply(float* x, int n, float factor)
    {
        int j = 0;
        for (var f = Vector256.Create(factor); j <= n - 8; j += 8) (Vector256.Load(x + j) * f).Store(x + j);
        for (; j < n; j++) x[j] *= factor;
    }

    /// <summary>x[j] = e^(x[j] − shift) for j < n; returns their sum.</summary>
    static float ExpInPlace(float* x, int n, float shift)
    {
        var sum = Vector256<float>.Zero;
        int j = 0;
        for (var m = Vector256.Create(shift); j <= n - 8; j += 8)
        {
            var e = DecodeKernels.Exp(Vector256.Load(x + j) - m);
            e.Store(x + j);
            sum += e;
        }
        float total = Vector256.Sum(sum);
        for (; j < n; j++) total += x[j] = MathF.Exp(x[j] - shift);
        return total;
    }

    static float Dot(float* a, float* b, int n)
    {
        float sum = 0;
        for (int i = 0; i < n; i++) sum += a[i] * b[i];
        return sum;
    }
}
