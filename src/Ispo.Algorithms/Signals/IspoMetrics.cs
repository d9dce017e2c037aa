// ISPO's diagnostics from its signals, split by outcome (correct: R_o > 0.5): IFD mean/std, critical-token
// entropy (the "hallucinated certainty" curve), token reward, |𝒜|, |C_Δ|, |C| as fractions of response tokens, and
// the fraction of rollouts without an answer (when the batch has an answer mask). Partials gives them as mergeable
// sums (see MetricPartials).
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public static class IspoMetrics
{
    public static MetricsBag From(GroupedBatch batch, IspoSignalResult signals) => Partials(batch, signals).ToMetrics();

    public static MetricPartials Partials(GroupedBatch batch, IspoSignalResult signals)
    {
        using var scope = NewDisposeScope();
        var metrics = new MetricPartials();
        double tokens = BatchDiagnostics.Sum(batch.ResponseMask > 0.5);
        // a set whose input the batch lacks (no base pass when C = 𝒜) was not measured: absent, not 0
        if (batch.Entropies is not null) metrics.Mean("ispo/entropy_set_frac", BatchDiagnostics.Sum(signals.EntropySet), tokens, zeroWhenEmpty: true);
        if (batch.BaseLogProbs is not null) metrics.Mean("ispo/drift_set_frac", BatchDiagnostics.Sum(signals.DriftSet), tokens, zeroWhenEmpty: true);
        metrics.Mean("ispo/critical_frac", BatchDiagnostics.Sum(signals.Critical), tokens, zeroWhenEmpty: true);
        if (batch.AnswerMask is not null) metrics.Mean("ispo/no_answer_frac", BatchDiagnostics.Sum(signals.Answered.logical_not()), batch.Rows);
        Tensor correct = batch.OutcomeRewards > 0.5;                                   // [B]
        foreach (var (label, rows) in new[] { ("correct", correct), ("incorrect", correct.logical_not()) })
        {
            if (!rows.any().item<bool>()) continue;
            double count = BatchDiagnostics.Sum(rows);
            Tensor ifd = signals.Ifd[rows].to(ScalarType.Float64);
            metrics.Mean($"ispo/ifd/{label}_mean", BatchDiagnostics.Sum(ifd), count);
            metrics.SampleStd($"ispo/ifd/{label}_std", ifd);
            metrics.Mean($"ispo/token_reward/{label}_mean", BatchDiagnostics.Sum(signals.TokenReward[rows]), count);
        }
        if (batch.Entropies is not null) EntropyByOutcome(metrics, "ispo/critical_entropy", batch, signals.Critical, batch.Entropies);
        return metrics;
    }

    /// <summary><c>{name}/correct</c> and <c>{name}/incorrect</c>: the mean entropy over the marked tokens of the
    /// rollouts with that outcome, absent when they mark none.</summary>
    internal static void EntropyByOutcome(MetricPartials metrics, string name, GroupedBatch batch, Tensor marked, Tensor entropies) // [B,T] bool, [B,T]
    {
        using var scope = NewDisposeScope();
        Tensor correct = batch.OutcomeRewards > 0.5;                                   // [B]
        foreach (var (label, rows) in new[] { ("correct", correct), ("incorrect", correct.logical_not()) })
        {
            Tensor here = marked.logical_and(rows.unsqueeze(1));                       // [B,T]
            metrics.Mean($"{name}/{label}", BatchDiagnostics.Sum(entropies.masked_fill(here.logical_not(), 0.0)), BatchDiagnostics.Sum(here));
        }
    }
}
