// TokenPicker's greedy and plain-sampling cases over fp32 CPU logits, in C#: per row one vector pass for the maximum,
// one for the exponentials (log-sum-exp, entropy, and the sums of 8-token blocks), and a draw that skips whole
// blocks. The torch path spends ~1 ms per decoding step on seven small ops over [N,V], the scalar C# loops before
// these ~1.3 ms for 16 rows of 8192, these ~0.3 ms. The uniforms still come from the same torch generator, one per
// row, as there. (Splitting the rows over two threads gained nothing measurable: the hand-off costs as much.)
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Ispo.Models.Sampling;
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Models.Cpu;

internal static unsafe class CpuTokenPicker
{
    const int Block = 8; // tokens per block sum: one vector

    [ThreadStatic] static float[]? workspace; // sampling may run on several threads at once (scoring workers)

    /// <summary>Tokens, their log-probs and the entropies (at LogProbTemperature) per row of
    /// <paramref name="logits"/> [N,V], or false when the case needs the torch path (top-k, top-p, a temperature
    /// other than the log-prob one, logits that are not fp32 on the CPU, or a CPU without AVX2).</summary>
    public static bool TryPick(Tensor logits, SamplingOptions o, Generator generator, out long[] tokens, out float[] logProbs, out float[] entropies)
    {
        (tokens, logProbs, entropies) = ([], [], []);
        bool plain = TokenPicker.DrawsFromLogProbDistribution(o, logits.shape[^1]);
        if (!(o.IsGreedy || plain) || logits.dim() != 2 || logits.dtype != ScalarType.Float32 || logits.device_type != DeviceType.CPU
            || !logits.is_contiguous() || !Avx2.IsSupported) return false;
        int n = (int)logits.shape[0], v = (int)logits.shape[1];
        float[] uniforms = [];
        if (plain)
            using (Tensor u = rand(n, 1, dtype: ScalarType.Float32, generator: generator)) uniforms = u.data<float>().ToArray();
        (tokens, logProbs, entropies) = (new long[n], new float[n], new float[n]);
        float* rows = TensorPointers.Floats(logits);
        float inverseTemperature = (float)(1 / o.LogProbTemperature);
        for (int r = 0; r < n; r++)
            (tokens[r], logProbs[r], entropies[r]) = PickRow(rows + (long)r * v, v, inverseTemperature, plain ? uniforms[r] : null);
        return true;
    }

    static (long Token, float LogProb, float Entropy) PickRow(float* row, int v, float inverseTemperature, float? uniform)
    {
        int blocks = (v + Block - 1) / Block;
        int floats = (inverseTemperature == 1f ? 0 : v) + v + 1 + 2 * blocks; // scaled row, exponentials, block sums (doubles, aligned)
        if (workspace is null || workspace.Length < floats) workspace = GC.AllocateUninitializedArray<float>(floats, pinned: true);
        fixed (float* space = workspace)
        {
            float* x = row, e = space;
            if (inverseTemperature != 1f)
            {
                x = space;
                e = space + v;
                Scale(row, x, v, inverseTemperature);
            }
            double* blockSums = (double*)(e + v + (v & 1)); // 8-byte aligned: the pinned array starts aligned
            (float max, int argmax) = Max(x, v);
            (float sum, float weighted) = ExpSums(x, e, blockSums, v, max); // Σ e^(x−max), Σ e^(x−max)·(x−max)
            float logSum = MathF.Log(sum);
            int token = uniform is { } u ? Draw(e, blockSums, v, u) : argmax;
            return (token, x[token] - max - logSum, logSum - weighted / sum);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void Scale(float* source, float* x, int v, float factor)
    {
        int i = 0;
        for (var f = Vector256.Create(factor); i <= v - 8; i += 8) (Vector256.Load(source + i) * f).Store(x + i);
        for (; i < v; i++) x[i] = source[i] * factor;
    }

    /// <summary>The largest value and its first index; a NaN counts as the largest, as in torch.argmax.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static (float Max, int Index) Max(float* x, int v)
    {
        float best = DecodeKernels.MaxOrNaN(x, v);
        return float.IsNaN(best) ? ScalarMax(x, v) : (best, FirstIndexOf(x, v, best));
    }

    static (float Max, int Index) ScalarMax(float* x, int v)
    {
        float max = float.NegativeInfinity;
        int index = 0;
        for (int i = 0; i < v; i++)
            if (x[i] > max || float.IsNaN(x[i]) && !float.IsNaN(max)) (max, index) = (x[i], i);
        return (max, index);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int FirstIndexOf(float* x, int v, float value)
    {
        int i = 0;
        for (var target = Vector256.Create(value); i <= v - 8; i += 8)
        {
            uint hits = Vector256.Equals(Vector256.Load(x + i), target).ExtractMostSignificantBits();
            if (hits != 0) return i + BitOperations.TrailingZeroCount(hits);
        }
        for (; i < v; i++)
            if (x[i] == value) return i;
        return 0; // every value is −inf
    }

    /// <summary>The exponentials e^(x−max) into <paramref name="exps"/>, each 8-token block's sum (in double) into
    /// <paramref name="blockSums"/>, and the totals for the log-sum-exp and the entropy.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static (float Sum, float Weighted) ExpSums(float* x, float* exps, double* blockSums, int v, float max)
    {
        Vector256<float> sum = default, weighted = default, m = Vector256.Create(max);
        int i = 0;
        for (; i <= v - 8; i += 8)
        {
            var shifted = Vector256.Load(x + i) - m;
            var e = DecodeKernels.Exp(shifted);
            e.Store(exps + i);
            sum += e;
            weighted += e * Vector256.ConditionalSelect(Vector256.Equals(e, Vector256<float>.Zero), Vector256<float>.Zero, shifted);
            blockSums[i / Block] = Vector256.Sum(Avx.ConvertToVector256Double(e.GetLower()) + Avx.ConvertToVector256Double(e.GetUpper()));
        }
        float s = Vector256.Sum(sum), w = Vector256.Sum(weighted);
        if (i == v) return (s, w);
        double tail = 0;
        for (; i < v; i++)
        {
            float e = exps[i] = MathF.Exp(x[i] - max);
            s += e;
            tail += e;
            if (e > 0) w += e * (x[i] - max);
        }
        blockSums[(v - 1) / Block] = tail;
        return (s, w);
    }

    /// <summary>Inverse CDF over the unnormalised weights e: the first token whose cumulative weight exceeds u·Σe,
    /// never a zero-weight one. Whole blocks below the target are skipped by their sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static int Draw(float* e, double* blockSums, int v, float u)
    {
        int blocks = (v + Block - 1) / Block;
        double total = 0;
        for (int b = 0; b < blocks; b++) total += blockSums[b];
        double target = u * total, cumulative = 0;
        for (int b = 0; b < blocks; b++)
        {
            if (cumulative + blockSums[b] <= target)
            {
                cumulative += blockSums[b];
                continue;
            }
            for (int i = b * Block, end = Math.Min(v, i + Block); i < end; i++)
            {
                if (e[i] <= 0) continue;
                cumulative += e[i];
                if (cumulative > target) return i;
            }
        }
        for (int i = v - 1; i > 0; i--) // rounding left the target unreached: the last token with weight
            if (e[i] > 0) return i;
        return 0;
    }
}
