// How far the engine's log-probs are from the trainer's over the response tokens, as verl logs it
// (rollout/logprob_diff_mean, _max of |Δ|): a large gap means off-policy rollouts (another dtype or kernel).
using Ispo.Algorithms;
using Ispo.Training.Reports;
using Ispo.Training.Rollouts;

namespace Ispo.Training.Engines;

public static class LogProbGap
{
    /// <summary>Empty when no rollout carries the engine's log-probs (the local sampler).</summary>
    public static MetricsBag Metrics(IReadOnlyList<Rollout> rollouts)
    {
        var metrics = new MetricsBag();
        double sum = 0, max = 0;
        long count = 0;
        foreach (Rollout r in rollouts.Where(r => r.EngineLogProbs is not null))
            for (int t = 0; t < r.Length; t++)
            {
                double gap = Math.Abs((double)r.EngineLogProbs![t] - r.OldLogProbs[t]);
                (sum, max, count) = (sum + gap, Math.Max(max, gap), count + 1);
            }
        if (!rollouts.Any(r => r.EngineLogProbs is not null)) return metrics;
        metrics.Set(MetricNames.LogProbDiffMean, count == 0 ? 0 : sum / count);
        metrics.Set(MetricNames.LogProbDiffMax, max);
        return metrics;
    }
}
