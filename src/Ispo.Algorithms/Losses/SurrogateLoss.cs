// The clipped surrogate shared by the PPO-style losses, per token with ratio r and advantage Â:
//   L = max(−Â·r, −Â·clip(r, 1 − ε_low, 1 + ε_high)), and for Â < 0 with dual-clip c: min(L, −c·Â)
// then aggregated, plus KL_coef·KL(π_θ‖π_ref) and minus entropy_coef·H. Subclasses choose the log-ratio.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public abstract class SurrogateLoss(PolicyLossOptions options, ComponentContext context) : IPolicyLoss
{
    /// <summary>log-ratios beyond ±20 are clamped before exp (as verl) so a stale token cannot overflow.</summary>
    public const double LogRatioClamp = 20.0;

    public PolicyLossOptions Options { get; } = options;

    /// <summary>L_norm of seq-mean-token-sum-norm: the rollouts' length budget (0, unknown: the batch width T).</summary>
    int NormLength { get; } = context.MaxNewTokens;

    public BatchInputs Needs =>
        (Options.KlCoef != 0 ? BatchInputs.BaseLogProbs : BatchInputs.None) |
        (Options.EntropyCoef != 0 ? BatchInputs.CurrentEntropies : BatchInputs.None) |
        (Options.MaskTruncated ? BatchInputs.Truncation : BatchInputs.None);

    /// <summary>log r per token, carrying grad through <paramref name="logProbs"/>.</summary>
    protected abstract Tensor LogRatio(Tensor logProbs, Tensor oldLogProbs, Tensor mask);   // [B,T] → [B,T]

    public PolicyLossResult Compute(PolicyEvaluation current, Tensor advantages, GroupedBatch batch)
    {
        batch.Validate(Needs & ~BatchInputs.CurrentEntropies);
        using var scope = NewDisposeScope();
        if (Options.EntropyCoef != 0 && current.Entropies is null)
            throw new ArgumentException("entropy_coef ≠ 0 needs PolicyEvaluation.Entropies (the current policy's entropies).");
        Tensor mask = batch.LossMask(Options.MaskTruncated);                           // [B,T]
        Tensor adv = advantages.dim() == 1 ? advantages.to(ScalarType.Float32).unsqueeze(1)   // [B,1] per rollout
            : advantages.to(ScalarType.Float32);                                       // [B,T] per token
        Tensor logRatio = LogRatio(current.LogProbs, batch.OldLogProbs, mask).clamp(-LogRatioClamp, LogRatioClamp);
        Tensor ratio = logRatio.exp();                                                 // [B,T]
        Tensor perToken = ClippedObjective(ratio, adv);
        Tensor policyLoss = LossAggregator.Aggregate(perToken, mask, Options.Aggregation, NormLength);
        Tensor loss = policyLoss;

        var metrics = new MetricsBag();
        metrics.Set("loss/policy", policyLoss.item<float>());
        using (no_grad())
            SetClipMetrics(metrics, ratio, adv, mask, current.LogProbs, batch.OldLogProbs);
        if (Options.KlCoef != 0)
        {
            Tensor kl = KlEstimators.PerToken(current.LogProbs, batch.BaseLogProbs!, Options.KlEstimator);
            Tensor klLoss = LossAggregator.Aggregate(kl, mask, Options.Aggregation, NormLength);
            loss = loss + Options.KlCoef * klLoss;
            metrics.Set("kl", MaskedMean(kl.detach(), mask));
        }
        if (current.Entropies is { } entropies)
        {
            metrics.Set("policy/entropy", MaskedMean(entropies.detach(), mask));
            if (Options.EntropyCoef != 0)
                loss = loss - Options.EntropyCoef * LossAggregator.Aggregate(entropies, mask, Options.Aggregation, NormLength);
        }
        metrics.Set("loss/total", loss.item<float>());
        return new PolicyLossResult(loss.MoveToOuterDisposeScope(), metrics);
    }

    public double Normaliser(GroupedBatch batch)
    {
        using Tensor mask = batch.LossMask(Options.MaskTruncated);
        return LossAggregator.Normaliser(mask, Options.Aggregation, NormLength);
    }

    /// <summary>Per-token clipped (and dual-clipped) loss.</summary>
    Tensor ClippedObjective(Tensor ratio, Tensor adv)          // [B,T],[B,1] or [B,T] → [B,T]
    {
        Tensor unclipped = -adv * ratio;
        Tensor clipped = -adv * ratio.clamp(1 - Options.ClipLow, 1 + Options.ClipHigh);
        Tensor loss = maximum(unclipped, clipped);
        if (Options.DualClip == 0) return loss;
        Tensor dual = minimum(loss, -adv * Options.DualClip);
        return where(adv < 0, dual, loss);
    }

    void SetClipMetrics(MetricsBag metrics, Tensor ratio, Tensor adv, Tensor mask, Tensor logProbs, Tensor oldLogProbs)
    {
        Tensor low = (ratio < 1 - Options.ClipLow).logical_and(adv < 0);
        Tensor high = (ratio > 1 + Options.ClipHigh).logical_and(adv > 0);
        metrics.Set("clip_ratio/low_mean", MaskedMean(low, mask));
        metrics.Set("clip_ratio/high_mean", MaskedMean(high, mask));
        metrics.Set("clip_ratio/region_mean", MaskedMean(low.logical_or(high), mask));
        if (Options.DualClip != 0)
            metrics.Set("clip_ratio/dual_mean", MaskedMean((ratio > Options.DualClip).logical_and(adv < 0), mask));
        // approx KL(π_old ‖ π_θ) per token as ½(log r)², OpenAI baselines' approxkl, on the raw token ratio
        metrics.Set("approx_kl", MaskedMean(0.5 * (logProbs.detach() - oldLogProbs).square(), mask));
    }

    internal static double MaskedMean(Tensor values, Tensor mask) =>
        ((values.to(ScalarType.Float64) * mask.to(ScalarType.Float64)).sum() / mask.sum().clamp_min(1)).item<double>();
}
