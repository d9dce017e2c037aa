// The small per-row operations of one decoding step over raw fp32 memory (RMSNorm, RoPE, attention over a KV cache,
// SwiGLU, residual add), with the same formulas and operation order as the torch modules.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Ispo.Models.Cpu;

internal static unsafe class DecodeKernels
{
    /// <summary>y = (x·r)·w for one row of length <paramref name="n"/>, with r = rsqrt(mean(x²)+eps), which it returns.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float RmsNorm(float* x, float* y, float* w, int n, float eps)
    {
        float sum = Dot(x, x, n);
        float r = 1f / MathF.Sqrt(sum / n + eps);
        int i = 0;
        for (var vr = Vector256.Create(r); i <= n - 8; i += 8) (Vector256.Load(x + i) * vr * Vector256.Load(w + i)).Store(y + i);
        for (; i < n; i++) y[i] = x[i] * r * w[i];
        return r;
    }

    /// <summary>The largest of x[0..n), or NaN when any is NaN (as torch's max and log_softmax).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float MaxOrNaN(float* x, int n)
    {
        Vector256<float> max = Vector256.Create(float.NegativeInfinity), nan = Vector256<float>.Zero;
        int i = 0;
        for (; i <= n - 8; i += 8)
        {
            var values = Vector256.Load(x + i);
            nan |= ~Vector256.Equals(values, values); // Avx.Max would drop a NaN lane
            max = Avx.Max(max, values);
        }
        if (nan != Vector256<float>.Zero) return float.NaN;
        float best = float.NegativeInfinity;
        for (int lane = 0; lane < 8; lane++) best = MathF.Max(best, max[lane]);
        for (; i < n; i++) best = MathF.Max(best, x[i]); // MathF.Max propagates NaN
        return best;
    }

    /// <summary>x·cos + rotate_half(x)·sin in place for one head, with sinSigned = (−sin, +sin).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Rope(float* x, float* cos, float* sinSigned, int d)
    {
        int half = d / 2;
        float* rotated = stackalloc float[d];
        for (int i = 0; i < d; i++) rotated[i] = x[i < half ? i + half : i - half];
        for (int i = 0; i < d; i++) x[i] = x[i] * cos[i] + rotated[i] * sinSigned[i];
    }

    /// <summary>softmax(q·kᵀ/√D + bias)·v for one query over <paramref name="s"/> cached keys; k and v are [S,D]
    /// with D a multiple of 8. <paramref name="scores"/> holds S floats of scratch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Attend(float* q, float* k, float* v, float* keyBias, int s, int d, float* scores, float* output)
    {
        float scale = 1f / MathF.Sqrt(d);
        int j = 0;
        for (; j <= s - 4; j += 4) Dot4(q, k + (long)j * d, d, scores + j);
        for (; j < s; j++) scores[j] = Dot(q, k + (long)j * d, d);
        float max = float.NegativeInfinity;
        for (j = 0; j < s; j++)
        {
            float score = scores[j] * scale + keyBias[j];
            scores[j] = score;
            if (score > max) max = score;
        }
        float total = 0;
        j = 0;
        for (var m = Vector256.Create(max); j <= s - 8; j += 8)
        {
            var e = Exp(Vector256.Load(scores + j) - m);
            e.Store(scores + j);
            total += Vector256.Sum(e);
        }
        for (; j < s; j++) total += scores[j] = MathF.Exp(scores[j] - max);
        for (int i = 0; i < s; i++) scores[i] /= total;
        for (int chunk = 0; chunk < d; chunk += 32) WeightedSum(scores, v + chunk, s, d, output + chunk, Math.Min(32, d - chunk));
    }

    /// <summary>out[0..width) = Σ_j p[j]·v[j·stride + 0..width) for width ≤ 32 (a multiple of 8), four
    /// independent accumulators.</summary>
    static void WeightedSum(float* p, float* v, int s, int stride, float* output, int width)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int j = 0; j < s; j++, v += stride)
        {
            var w = Vector256.Create(p[j]);
            a0 += w * Vector256.Load(v);
            if (width > 8) a1 += w * Vector256.Load(v + 8);
            if (width > 16) a2 += w * Vector256.Load(v + 16);
            if (width > 24) a3 += w * Vector256.Load(v + 24);
        }
        a0.Store(output);
        if (width > 8) a1.Store(output + 8);
        if (width > 16) a2.Store(output + 16);
        if (width > 24) a3.Store(output + 24);
    }

    /// <summary>Four keys' dot products with q at once: four independent chains instead of one long one.</summary>
    static void Dot4(float* q, float* k, int d, float* result)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int i = 0; i < d; i += 8)
        {
            var x = Vector256.Load(q + i);
            a0 += x * Vector256.Load(k + i);
            a1 += x * Vector256.Load(k + d + i);
            a2 += x * Vector256.Load(k + 2 * d + i);
            a3 += x * Vector256.Load(k + 3 * d + i);
        }
        result[0] = Vector256.Sum(a0);
        result[1] = Vector256.Sum(a1);
        result[2] = Vector256.Sum(a2);
        result[3] = Vector256.Sum(a3);
    }

    /// <summary>out[i] = silu(gate[i])·up[i].</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SiluMul(float* gate, float* up, float* output, int n)
    {
        int i = 0;
        for (; i <= n - 8; i += 8)
        {
            var g = Vector256.Load(gate + i);
            var silu = g / (Vector256<float>.One + Exp(-g));
            (silu * Vector256.Load(up + i)).Store(output + i);
        }
        for (; i < n; i++) output[i] = gate[i] / (1f + MathF.Exp(-gate[i])) * up[i];
    }

    /// <summary>x += y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Add(float* x, float* y, int n)
    {
        int i = 0;
        for (; i <= n - 8; i += 8) (Vector256.Load(x + i) + Vector256.Load(y + i)).Store(x + i);
        for (; i < n; i++) x[i] += y[i];
    }

    /// <summary>e^x to ~2 ulp (Cephes' expf polynomial after a ln 2 range reduction); exactly 0 below −87.3, so
    /// −inf (a masked key) gives 0. Vector256.Exp computes in double through calls that the JIT may not inline.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Exp(Vector256<float> x)
    {
        var underflow = Vector256.LessThan(x, Vector256.Create(-87.3f));
        x = Vector256.Min(Vector256.Max(x, Vector256.Create(-87.3f)), Vector256.Create(88.3f));
        var n = Vector256.Round(x * Vector256.Create(1.44269504088896341f));
        var r = x - n * Vector256.Create(0.693359375f) - n * Vector256.Create(-2.12194440e-4f);
        var p = Vector256.Create(1.9875691500e-4f);
        p = p * r + Vector256.Create(1.3981999507e-3f);
        p = p * r + Vector256.Create(8.3334519073e-3f);
        p = p * r + Vector256.Create(4.1665795894e-2f);
        p = p * r + Vector256.Create(1.6666665459e-1f);
        p = p * r + Vector256.Create(5.0000001201e-1f);
        var y = p * r * r + r + Vector256<float>.One;
        var scale = (Vector256.ConvertToInt32(n) + Vector256.Create(127)) << 23;
        return Vector256.ConditionalSelect(underflow, Vector256<float>.Zero, y * scale.AsSingle());
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static float Dot(float* a, float* b, int n)
    {
        var acc = Vector256<float>.Zero;
        int i = 0;
        for (; i <= n - 8; i += 8) acc += Vector256.Load(a + i) * Vector256.Load(b + i);
        float sum = Vector256.Sum(acc);
        for (; i < n; i++) sum += a[i] * b[i];
        return sum;
    }
}
