// ISPO's diagnostics from its signals, split by outcome (correct: R_o > 0.5): IFD mean/std, critical-token
// entropy (the "hallucinated certainty" curve), token reward, |𝒜|, |C_Δ|, |C| as fractions of response tokens, and
// the fraction of rollouts without an answer (when the batch has an answer mask).
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public static class IspoMetrics
{
    public static MetricsBag From(GroupedBatch batch, IspoSignalResult signals)
    {
        using var scope = NewDisposeScope();
        var metrics = new MetricsBag();
        Tensor valid = batch.ResponseMask > 0.5;                                       // [B,T]
        double tokens = Math.Max(1, valid.sum().item<long>());
        metrics.Set("ispo/entropy_set_frac", signals.EntropySet.sum().item<long>() / tokens);
        metrics.Set("ispo/drift_set_frac", signals.DriftSet.sum().item<long>() / tokens);
        metrics.Set("ispo/critical_frac", signals.Critical.sum().item<long>() / tokens);
        if (batch.AnswerMask is not null) metrics.Set("ispo/no_answer_frac", signals.Answered.logical_not().to(ScalarType.Float64).mean().item<double>());
        Tensor correct = batch.OutcomeRewards > 0.5;                                   // [B]
        foreach (var (label, rows) in new[] { ("correct", correct), ("incorrect", correct.logical_not()) })
        {
            if (!rows.any().item<bool>()) continue;
            Tensor ifd = signals.Ifd[rows].to(ScalarType.Float64);
            metrics.Set($"ispo/ifd/{label}_mean", ifd.mean().item<double>());
            metrics.Set($"ispo/ifd/{label}_std", GroupMath.SampleStd(ifd, 0, keepdim: false).item<double>());
            metrics.Set($"ispo/token_reward/{label}_mean", signals.TokenReward[rows].to(ScalarType.Float64).mean().item<double>());
        }
        if (batch.Entropies is not null) SetEntropyByOutcome(metrics, "ispo/critical_entropy", batch, signals.Critical, batch.Entropies);
        return metrics;
    }

    /// <summary><c>{name}/correct</c> and <c>{name}/incorrect</c>: the mean entropy over the marked tokens of the
    /// rollouts with that outcome, absent when they mark none.</summary>
    internal static void SetEntropyByOutcome(MetricsBag metrics, string name, GroupedBatch batch, Tensor marked, Tensor entropies) // [B,T] bool, [B,T]
    {
        using var scope = NewDisposeScope();
        Tensor correct = batch.OutcomeRewards > 0.5;                                   // [B]
        foreach (var (label, rows) in new[] { ("correct", correct), ("incorrect", correct.logical_not()) })
        {
            Tensor here = marked.logical_and(rows.unsqueeze(1));                       // [B,T]
            long count = here.sum().item<long>();
            if (count > 0) metrics.Set($"{name}/{label}", entropies.masked_fill(here.logical_not(), 0.0).to(ScalarType.Float64).sum().item<double>() / count);
        }
    }
}
