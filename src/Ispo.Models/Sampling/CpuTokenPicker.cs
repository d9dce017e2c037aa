// TokenPicker's greedy and plain-sampling cases over fp32 CPU logits, in C#: one pass for the row maximum, one for
// the exponentials (log-sum-exp, entropy), one for the draw. The torch path spends ~1 ms per decoding step on
// seven small ops over [N,V]. The uniforms still come from the same torch generator, one per row, as there.
using System.Runtime.Intrinsics;
using Ispo.Models.Checkpoints;
using Ispo.Models.Modules;
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Models.Sampling;

internal static unsafe class CpuTokenPicker
{
    /// <summary>Tokens, their log-probs and the entropies (at LogProbTemperature) per row of
    /// <paramref name="logits"/> [N,V], or false when the case needs the torch path (top-k, top-p, a temperature
    /// other than the log-prob one, or logits that are not fp32 on the CPU).</summary>
    public static bool TryPick(Tensor logits, SamplingOptions o, Generator generator, out long[] tokens, out float[] logProbs, out float[] entropies)
    {
        (tokens, logProbs, entropies) = ([], [], []);
        bool plain = TokenPicker.DrawsFromLogProbDistribution(o, logits.shape[^1]);
        if (!(o.IsGreedy || plain) || logits.dim() != 2 || logits.dtype != ScalarType.Float32 || logits.device_type != DeviceType.CPU
            || !logits.is_contiguous()) return false;
        int n = (int)logits.shape[0], v = (int)logits.shape[1];
        float[] uniforms = [];
        if (plain)
            using (Tensor u = rand(n, 1, dtype: ScalarType.Float32, generator: generator)) uniforms = u.data<float>().ToArray();
        (tokens, logProbs, entropies) = (new long[n], new float[n], new float[n]);
        float* rows = TensorBytes.Floats(logits);
        float inverseTemperature = (float)(1 / o.LogProbTemperature);
        float[] scaled = new float[v], exps = new float[v];
        fixed (float* x = scaled, e = exps)
            for (int r = 0; r < n; r++)
            {
                Scale(rows + (long)r * v, x, v, inverseTemperature);
                (float max, int argmax) = Max(x, v);
                (float sum, float weighted) = ExpSums(x, e, v, max); // Σ e^(x−max), Σ e^(x−max)·(x−max)
                float logSum = MathF.Log(sum);
                int token = plain ? Draw(e, v, uniforms[r]) : argmax;
                tokens[r] = token;
                logProbs[r] = x[token] - max - logSum;
                entropies[r] = logSum - weighted / sum;
            }
        return true;
    }

    static void Scale(float* source, float* x, int v, float factor)
    {
        if (factor == 1f)
        {
            new Span<float>(source, v).CopyTo(new Span<float>(x, v));
            return;
        }
        for (int i = 0; i < v; i++) x[i] = source[i] * factor;
    }

    /// <summary>The largest value and its first index.</summary>
    static (float Max, int Index) Max(float* x, int v)
    {
        float max = float.NegativeInfinity;
        int index = 0;
        for (int i = 0; i < v; i++)
            if (x[i] > max || float.IsNaN(x[i]) && !float.IsNaN(max)) (max, index) = (x[i], i);
        return (max, index);
    }

    static (float Sum, float Weighted) ExpSums(float* x, float* exps, int v, float max)
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
        }
        float s = Vector256.Sum(sum), w = Vector256.Sum(weighted);
        for (; i < v; i++)
        {
            float e = exps[i] = MathF.Exp(x[i] - max);
            s += e;
            if (e > 0) w += e * (x[i] - max);
        }
        return (s, w);
    }

    /// <summary>Inverse CDF over the unnormalised weights e: the first token whose cumulative weight exceeds u·Σe,
    /// never a zero-weight one.</summary>
    static int Draw(float* e, int v, float u)
    {
        double total = 0;
        for (int i = 0; i < v; i++) total += e[i];
        double target = u * total, cumulative = 0;
        int last = 0;
        for (int i = 0; i < v; i++)
        {
            if (e[i] <= 0) continue;
            cumulative += e[i];
            last = i;
            if (cumulative > target) return i;
        }
        return last;
    }
}
