// Batch-level diagnostics for one step, returned as data: rewards, zero-advantage groups by outcome and by final
// reward, useful rollouts, sampling entropy, lengths, the entropy at each rollout's most uncertain tokens by
// outcome (the hallucinated-certainty curve for every algorithm, base model or not), and ISPO's signal metrics
// when signals are given. Partials gives them as mergeable sums, so whole groups measured apart merge into the
// metrics of the batch they form.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public static class BatchDiagnostics
{
    public static MetricsBag Compute(GroupedBatch batch, Tensor rewards, Tensor advantages, IspoSignalResult? signals = null) =>  // [B], [B] or [B,T]
        Partials(batch, rewards, advantages, signals).ToMetrics();

    /// <summary>The metrics of <see cref="Compute"/> as partials; <paramref name="batch"/> must hold whole groups.</summary>
    public static MetricPartials Partials(GroupedBatch batch, Tensor rewards, Tensor advantages, IspoSignalResult? signals = null)  // [B], [B] or [B,T]
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var metrics = new MetricPartials();
        int g = batch.GroupSize;
        double rows = batch.Rows, prompts = batch.Prompts;
        Tensor r = GroupMath.Grouped(rewards, g);                                       // [P,G] float64
        metrics.Mean("reward", Sum(r), rows);
        metrics.Mean("reward_std", Sum(GroupMath.SampleStd(r, 1, keepdim: false)), prompts);
        metrics.Mean("rewards/outcome/mean", Sum(batch.OutcomeRewards), rows);
        metrics.Mean("frac_reward_zero_std", ZeroSpreadCount(rewards, g), prompts);
        metrics.Mean("ispo/frac_outcome_zero_std", ZeroSpreadCount(batch.OutcomeRewards, g), prompts);
        metrics.Mean("ispo/useful_rollout_frac", Sum(batch.PerRollout(advantages.abs()) != 0), rows);
        double tokens = Sum(batch.ResponseLengths());
        metrics.Mean("completions/mean_length", tokens, rows);
        metrics.Total("num_tokens", tokens);
        if (batch.Truncated is not null) metrics.Mean("completions/clipped_ratio", Sum(batch.Truncated), rows);
        if (batch.Entropies is not null)
        {
            metrics.Mean("entropy", Sum(batch.Entropies.to(ScalarType.Float64) * batch.ResponseMask.to(ScalarType.Float64)),
                         Sum(batch.ResponseMask), zeroWhenEmpty: true);
            HighEntropyByOutcome(batch, batch.Entropies, metrics);
        }
        if (signals is not null) metrics.Merge(IspoMetrics.Partials(batch, signals));
        return metrics;
    }

    /// <summary>Fraction of each rollout's tokens, by entropy, whose mean entropy is logged: ISPO's default k.</summary>
    public const double HighEntropyFraction = 0.1;

    /// <summary>Σ of all elements in float64.</summary>
    internal static double Sum(Tensor values) => values.to(ScalarType.Float64).sum().item<double>();

    /// <summary>ispo/high_entropy/{correct,incorrect}: mean entropy over each rollout's top-k entropy tokens (𝒜).</summary>
    static void HighEntropyByOutcome(GroupedBatch batch, Tensor entropies, MetricPartials metrics) => // [B,T]
        IspoMetrics.EntropyByOutcome(metrics, "ispo/high_entropy", batch,
            IspoSignals.TopEntropySet(entropies, batch.ResponseMask > 0.5, HighEntropyFraction), entropies);

    static double ZeroSpreadCount(Tensor values, int groupSize) => Sum(DynamicSamplingFilter.HasSpread(values, groupSize).logical_not());
}
