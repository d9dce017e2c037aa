// KL in the reward (verl's use_kl_in_reward for outcome-level estimators): R ← R − coef·Σ_t KL_t(π_θold ‖ π_ref)
// over the response tokens, with the reference = the frozen base policy. Coefficient default 0 (the paper uses no KL).
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public sealed record KlRewardPenaltyOptions
{
    public double Coef { get; init; }
    public KlEstimator Estimator { get; init; } = KlEstimator.K1;
}

[AlgorithmComponent("kl_penalty", typeof(KlRewardPenaltyOptions), "Subtracts coef × summed per-token KL to the base policy from the reward.")]
public sealed class KlRewardPenalty(KlRewardPenaltyOptions options) : IRewardShaper
{
    public KlRewardPenaltyOptions Options { get; } = options;
    public BatchInputs Needs => Options.Coef != 0 ? BatchInputs.BaseLogProbs : BatchInputs.None;

    public RewardShaping Shape(GroupedBatch batch, Tensor rewards)   // [B] → [B]
    {
        var metrics = new MetricsBag();
        if (Options.Coef == 0) return new RewardShaping(rewards.alias(), metrics);
        batch.Validate(Needs);
        using var scope = NewDisposeScope();
        Tensor kl = (KlEstimators.PerToken(batch.OldLogProbs, batch.BaseLogProbs!, Options.Estimator) * batch.ResponseMask).sum(1);  // [B]
        metrics.Set("kl_reward/mean", kl.mean().item<float>());
        return new RewardShaping((rewards.to(ScalarType.Float32) - Options.Coef * kl).MoveToOuterDisposeScope(), metrics);
    }
}
