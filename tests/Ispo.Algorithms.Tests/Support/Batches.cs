// Test batches: hand-written rows (ragged, padded with a filler that must be ignored) and seeded random batches.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms.Tests;

/// <summary>One rollout as plain arrays (its own length, no padding). Ablated is aligned on answer positions.</summary>
public sealed record Row(double Outcome, double[] LogProbs, double[] Entropies, double[] BaseLogProbs, bool[] Answer, double[] Ablated, bool Truncated = false);

public static class Batches
{
    public const float Filler = 123.5f;   // padding value: any result depending on it is a bug

    /// <summary>An estimator on rewards alone: a batch of one-token rollouts around them.</summary>
    public static Tensor Compute(this IAdvantageEstimator estimator, Tensor rewards, int groupSize)    // [B] → [B]
    {
        long b = rewards.shape[0];
        var batch = new GroupedBatch { GroupSize = groupSize, ResponseMask = ones(b, 1), OutcomeRewards = rewards, OldLogProbs = zeros(b, 1) };
        return estimator.Compute(batch, rewards);
    }

    public static GroupedBatch From(int groupSize, params Row[] rows)
    {
        int t = rows.Max(r => r.LogProbs.Length);
        return new GroupedBatch
        {
            GroupSize = groupSize,
            ResponseMask = Padded(rows, r => r.LogProbs.Select(_ => 1.0).ToArray(), t, 0f),
            OutcomeRewards = tensor(rows.Select(r => (float)r.Outcome).ToArray()),
            OldLogProbs = Padded(rows, r => r.LogProbs, t, Filler),
            Entropies = Padded(rows, r => r.Entropies, t, Filler),
            BaseLogProbs = Padded(rows, r => r.BaseLogProbs, t, Filler),
            AnswerMask = Padded(rows, r => r.Answer.Select(a => a ? 1.0 : 0.0).ToArray(), t, 0f),
            AblatedAnswerLogProbs = Padded(rows, r => r.Ablated, t, Filler),
            Truncated = tensor(rows.Select(r => r.Truncated).ToArray()),
        };
    }

    static Tensor Padded(Row[] rows, Func<Row, double[]> field, int t, float filler)
    {
        var data = new float[rows.Length, t];
        for (int i = 0; i < rows.Length; i++)
        {
            double[] values = field(rows[i]);
            for (int j = 0; j < t; j++) data[i, j] = j < values.Length ? (float)values[j] : filler;
        }
        return tensor(data);
    }

    /// <summary>Random ragged rows: lengths 1..maxLen, some equal entropies (ties), answers at the end of most rows.</summary>
    public static Row[] RandomRows(Random rng, int count, int maxLen, double correctProbability = 0.5)
    {
        var rows = new Row[count];
        for (int i = 0; i < count; i++)
        {
            int n = rng.Next(1, maxLen + 1);
            double[] lp = Enumerable.Range(0, n).Select(_ => -3 * rng.NextDouble()).ToArray();
            double[] h = Enumerable.Range(0, n).Select(_ => Math.Round(2 * rng.NextDouble(), 1)).ToArray();   // rounding makes ties
            double[] b = lp.Select(x => x - (rng.NextDouble() - 0.3)).ToArray();
            int answerLen = rng.Next(0, Math.Min(n, 4) + 1);
            bool[] answer = Enumerable.Range(0, n).Select(j => j >= n - answerLen).ToArray();
            double[] ablated = lp.Select(x => x - (rng.NextDouble() - 0.2)).ToArray();
            rows[i] = new Row(rng.NextDouble() < correctProbability ? 1 : 0, lp, h, b, answer, ablated, rng.Next(4) == 0);
        }
        return rows;
    }

    public static double[] Values(Tensor t) => t.to(ScalarType.Float64).data<double>().ToArray();
}

public static class Near
{
    /// <summary>Absolute-tolerance equality (xunit's precision argument rounds, which fails across a rounding boundary).</summary>
    public static void Equal(double expected, double actual, double tolerance = 1e-5) =>
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected}, got {actual} (tolerance {tolerance})");
}
