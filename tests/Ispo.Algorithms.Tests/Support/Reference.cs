// Naive per-row loop implementations of every formula, the ground truth for the vectorised components.
namespace Ispo.Algorithms.Tests;

public static class Reference
{
    public static double Mean(IReadOnlyList<double> x) => x.Count == 0 ? 0 : x.Sum() / x.Count;

    public static double SampleStd(IReadOnlyList<double> x)
    {
        if (x.Count < 2) return 0;
        double m = Mean(x);
        return Math.Sqrt(x.Sum(v => (v - m) * (v - m)) / (x.Count - 1));
    }

    public static double[] Grpo(double[] r, int g, AdvantageScaling scaling, double eps, bool leaveOneOut = false)
    {
        var adv = new double[r.Length];
        double batchStd = SampleStd(r);
        for (int p = 0; p < r.Length / g; p++)
        {
            double[] group = r.Skip(p * g).Take(g).ToArray();
            double mean = Mean(group), std = SampleStd(group);
            for (int i = 0; i < g; i++)
            {
                double centred = !leaveOneOut ? group[i] - mean
                               : g < 2 ? 0 : group[i] - (group.Sum() - group[i]) / (g - 1);
                adv[p * g + i] = scaling switch
                {
                    AdvantageScaling.Group => centred / (std + eps),
                    AdvantageScaling.Batch => centred / (batchStd + eps),
                    _ => centred,
                };
            }
        }
        return adv;
    }

    public sealed record Signals(double Ifd, bool[] EntropySet, bool[] DriftSet, bool[] Critical, double TokenReward, double Reward);

    /// <summary>Every row of a batch of groups of <paramref name="g"/>, with the no-answer rule (ISPO.md §3.1):
    /// under worst_answered an unanswered row is incorrect and gets IFD = max(its group's answered incorrect IFDs, 0).</summary>
    public static Signals[] Ispo(Row[] rows, int g, IspoOptions o)
    {
        var result = new Signals[rows.Length];
        for (int p = 0; p < rows.Length / g; p++)
        {
            Row[] group = rows.Skip(p * g).Take(g).ToArray();
            double worst = group.Where(r => Answered(r) && r.Outcome <= 0.5).Select(r => Ispo(r, o).Ifd).DefaultIfEmpty(0).Max();
            for (int i = 0; i < g; i++)
                result[p * g + i] = Answered(group[i]) || o.NoAnswer == NoAnswer.ZeroIfd ? Ispo(group[i], o) : Ispo(group[i], o, Math.Max(worst, 0));
        }
        return result;
    }

    static bool Answered(Row row) => row.Answer.Any(a => a);

    /// <summary>One row alone; with <paramref name="noAnswerIfd"/>, as an unanswered row under worst_answered.</summary>
    public static Signals Ispo(Row row, IspoOptions o, double? noAnswerIfd = null)
    {
        int n = row.LogProbs.Length;
        int answerCount = row.Answer.Count(a => a);
        double ifd = noAnswerIfd ?? (answerCount == 0 ? 0 : Enumerable.Range(0, n).Where(t => row.Answer[t]).Sum(t => row.LogProbs[t] - row.Ablated[t]) / answerCount);

        int keep = (int)Math.Ceiling(Math.Round(o.TopK * n, 9));
        int[] byEntropy = Enumerable.Range(0, n).OrderByDescending(t => (float)row.Entropies[t]).ThenBy(t => t).ToArray();
        bool[] entropySet = new bool[n];
        foreach (int t in byEntropy.Take(keep)) entropySet[t] = true;
        bool[] drift = Enumerable.Range(0, n).Select(t => (float)row.LogProbs[t] - (float)row.BaseLogProbs[t] >= (float)o.TauDelta).ToArray();
        bool[] critical = Enumerable.Range(0, n).Select(t => o.CriticalSet switch
        {
            CriticalSet.Intersection => entropySet[t] && drift[t],
            CriticalSet.Union => entropySet[t] || drift[t],
            CriticalSet.Entropy => entropySet[t],
            _ => drift[t],
        }).ToArray();

        bool correct = row.Outcome > 0.5 && noAnswerIfd is null;
        double tokenReward = 0;
        int[] c = Enumerable.Range(0, n).Where(t => critical[t]).ToArray();
        if (c.Length > 0)
            tokenReward = c.Average(t => correct || o.Symmetric
                ? row.LogProbs[t]
                : o.Alpha * row.Entropies[t] - o.Beta * Math.Max(0, o.TauH - row.Entropies[t]));
        double sign = noAnswerIfd is null ? 2 * row.Outcome - 1 : -1;
        double reward = row.Outcome + o.Lambda1 * sign * ifd + o.Lambda2 * tokenReward;
        return new Signals(ifd, entropySet, drift, critical, tokenReward, reward);
    }

    /// <summary>Per-token clipped/dual-clipped loss and its aggregation, as plain loops; advantages per token.</summary>
    public static double Surrogate(double[][] logp, Row[] rows, double[][] adv, PolicyLossOptions o, bool sequenceRatio, int normLength = 0)
    {
        var perToken = new double[rows.Length][];
        for (int i = 0; i < rows.Length; i++)
        {
            int n = rows[i].LogProbs.Length;
            double seqLogRatio = Enumerable.Range(0, n).Average(t => logp[i][t] - rows[i].LogProbs[t]);
            perToken[i] = new double[n];
            for (int t = 0; t < n; t++)
            {
                double r = Math.Exp(sequenceRatio ? seqLogRatio : logp[i][t] - rows[i].LogProbs[t]);
                double a = adv[i][t];
                double l = Math.Max(-a * r, -a * Math.Clamp(r, 1 - o.ClipLow, 1 + o.ClipHigh));
                if (o.DualClip != 0 && a < 0) l = Math.Min(l, -a * o.DualClip);
                perToken[i][t] = l;
            }
        }
        return Aggregate(perToken, o.Aggregation, normLength > 0 ? normLength : rows.Max(r => r.LogProbs.Length));
    }

    public static double Aggregate(double[][] perToken, LossAggregation mode, int normLength) => mode switch
    {
        LossAggregation.TokenMean => perToken.Sum(r => r.Sum()) / Math.Max(1, perToken.Sum(r => r.Length)),
        LossAggregation.SeqMeanTokenMean => perToken.Where(r => r.Length > 0).Average(r => r.Average()),
        LossAggregation.SeqMeanTokenSum => perToken.Where(r => r.Length > 0).Average(r => r.Sum()),
        _ => perToken.Sum(r => r.Sum()) / (perToken.Length * (double)normLength),
    };
}
