// The batch metrics as BatchDiagnostics and IspoMetrics computed them before they became mergeable partials: direct
// torch reductions over the whole padded batch. The oracle that one part's partials must match to the last bit, and
// that merged parts must match up to summation order.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms.Tests;

public static class WholeBatchMetrics
{
    public static MetricsBag Compute(GroupedBatch batch, Tensor rewards, Tensor advantages, IspoSignalResult signals)
    {
        using var scope = NewDisposeScope();
        var metrics = new MetricsBag();
        int g = batch.GroupSize;
        Tensor r = rewards.to(ScalarType.Float64).view(-1, g);
        metrics.Set("reward", r.mean().item<double>());
        metrics.Set("reward_std", Std(r, 1).mean().item<double>());
        metrics.Set("rewards/outcome/mean", batch.OutcomeRewards.to(ScalarType.Float64).mean().item<double>());
        metrics.Set("frac_reward_zero_std", ZeroSpread(rewards, g));
        metrics.Set("ispo/frac_outcome_zero_std", ZeroSpread(batch.OutcomeRewards, g));
        metrics.Set("ispo/useful_rollout_frac", (batch.PerRollout(advantages.abs()) != 0).to(ScalarType.Float64).mean().item<double>());
        Tensor lengths = batch.ResponseLengths().to(ScalarType.Float64);
        metrics.Set("completions/mean_length", lengths.mean().item<double>());
        metrics.Set("num_tokens", lengths.sum().item<double>());
        if (batch.Truncated is not null) metrics.Set("completions/clipped_ratio", batch.Truncated.to(ScalarType.Float64).mean().item<double>());
        Tensor mask = batch.ResponseMask.to(ScalarType.Float64);
        metrics.Set("entropy", ((batch.Entropies!.to(ScalarType.Float64) * mask).sum() / batch.ResponseMask.sum().clamp_min(1)).item<double>());
        ByOutcome(metrics, "ispo/high_entropy", batch, IspoSignals.TopEntropySet(batch.Entropies, batch.ResponseMask > 0.5, BatchDiagnostics.HighEntropyFraction));
        double tokens = Math.Max(1, (batch.ResponseMask > 0.5).sum().item<long>());
        metrics.Set("ispo/entropy_set_frac", signals.EntropySet.sum().item<long>() / tokens);
        if (batch.BaseLogProbs is not null) metrics.Set("ispo/drift_set_frac", signals.DriftSet.sum().item<long>() / tokens);
        metrics.Set("ispo/critical_frac", signals.Critical.sum().item<long>() / tokens);
        metrics.Set("ispo/no_answer_frac", signals.Answered.logical_not().to(ScalarType.Float64).mean().item<double>());
        Tensor correct = batch.OutcomeRewards > 0.5;
        foreach (var (label, rows) in new[] { ("correct", correct), ("incorrect", correct.logical_not()) })
        {
            if (!rows.any().item<bool>()) continue;
            Tensor ifd = signals.Ifd[rows].to(ScalarType.Float64);
            metrics.Set($"ispo/ifd/{label}_mean", ifd.mean().item<double>());
            metrics.Set($"ispo/ifd/{label}_std", Std(ifd, 0).item<double>());
            metrics.Set($"ispo/token_reward/{label}_mean", signals.TokenReward[rows].to(ScalarType.Float64).mean().item<double>());
        }
        ByOutcome(metrics, "ispo/critical_entropy", batch, signals.Critical);
        return metrics;
    }

    static Tensor Std(Tensor x, long dim) => x.shape[dim] < 2 ? zeros_like(x.select(dim, 0)) : x.std(dim, unbiased: true, keepdim: false);

    static double ZeroSpread(Tensor values, int g) =>
        DynamicSamplingFilter.HasSpread(values, g).logical_not().to(ScalarType.Float64).mean().item<double>();

    static void ByOutcome(MetricsBag metrics, string name, GroupedBatch batch, Tensor marked)
    {
        Tensor correct = batch.OutcomeRewards > 0.5;
        foreach (var (label, rows) in new[] { ("correct", correct), ("incorrect", correct.logical_not()) })
        {
            Tensor here = marked.logical_and(rows.unsqueeze(1));
            long count = here.sum().item<long>();
            if (count > 0) metrics.Set($"{name}/{label}", where(here, batch.Entropies!, 0.0).to(ScalarType.Float64).sum().item<double>() / count);
        }
    }
}
