// Batch-level diagnostics for one step, returned as data: rewards, zero-advantage groups by outcome and by final
// reward, useful rollouts, sampling entropy, lengths, the entropy at each rollout's most uncertain tokens by
// outcome (the hallucinated-certainty curve for every algorithm, base model or not), and ISPO's signal metrics
// when signals are given.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public static class BatchDiagnostics
{
    public static MetricsBag Compute(GroupedBatch batch, Tensor rewards, Tensor advantages, IspoSignalResult? signals = null)  // [B], [B] or [B,T]
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var metrics = new MetricsBag();
        int g = batch.GroupSize;
        Tensor r = GroupMath.Grouped(rewards, g);                                       // [P,G] float64
        metrics.Set("reward", r.mean().item<double>());
        metrics.Set("reward_std", GroupMath.SampleStd(r, 1, keepdim: false).mean().item<double>());
        metrics.Set("rewards/outcome/mean", batch.OutcomeRewards.to(ScalarType.Float64).mean().item<double>());
        metrics.Set("frac_reward_zero_std", ZeroSpreadFraction(rewards, g));
        metrics.Set("ispo/frac_outcome_zero_std", ZeroSpreadFraction(batch.OutcomeRewards, g));
        metrics.Set("ispo/useful_rollout_frac", (batch.PerRollout(advantages.abs()) != 0).to(ScalarType.Float64).mean().item<double>());
        Tensor lengths = batch.ResponseLengths().to(ScalarType.Float64);                // [B]
        metrics.Set("completions/mean_length", lengths.mean().item<double>());
        metrics.Set("num_tokens", lengths.sum().item<double>());
        if (batch.Truncated is not null)
            metrics.Set("completions/clipped_ratio", batch.Truncated.to(ScalarType.Float64).mean().item<double>());
        if (batch.Entropies is not null)
        {
            metrics.Set("entropy", SurrogateLoss.MaskedMean(batch.Entropies, batch.ResponseMask));
            HighEntropyByOutcome(batch, batch.Entropies, metrics);
        }
        if (signals is not null) metrics.Merge(IspoMetrics.From(batch, signals));
        return metrics;
    }

    /// <summary>Fraction of each rollout's tokens, by entropy, whose mean entropy is logged: ISPO's default k.</summary>
    public const double HighEntropyFraction = 0.1;

    /// <summary>ispo/high_entropy/{correct,incorrect}: mean entropy over each rollout's top-k entropy tokens (𝒜).</summary>
    static void HighEntropyByOutcome(GroupedBatch batch, Tensor entropies, MetricsBag metrics) => // [B,T]
        IspoMetrics.SetEntropyByOutcome(metrics, "ispo/high_entropy", batch,
            IspoSignals.TopEntropySet(entropies, batch.ResponseMask > 0.5, HighEntropyFraction), entropies);

    static double ZeroSpreadFraction(Tensor values, int groupSize) =>
        DynamicSamplingFilter.HasSpread(values, groupSize).logical_not().to(ScalarType.Float64).mean().item<double>();
}
