// The configured algorithm as components: reward shapers (ISPO, overlong, KL-in-reward) chained after the outcome
// reward, an advantage estimator, a policy loss and an optional group filter. Built by name through the
// registry; the trainer only sees the interfaces and the union of their input needs.
using Ispo.Algorithms;
using Ispo.Training.Configuration;
using static TorchSharp.torch;

namespace Ispo.Training.Trainer;

public sealed class AlgorithmPipeline
{
    public required IReadOnlyList<IRewardShaper> Shapers { get; init; }
    public required IAdvantageEstimator Advantage { get; init; }
    public required IPolicyLoss Loss { get; init; }
    public IGroupFilter? Filter { get; init; }

    /// <summary>Optional inputs some component reads: the trainer runs only the passes these need.</summary>
    public BatchInputs Needs => Shapers.Aggregate(Advantage.Needs | Loss.Needs | (Filter?.Needs ?? BatchInputs.None) | BatchInputs.Entropies | BatchInputs.Truncation,
        (needs, shaper) => needs | shaper.Needs);

    public static AlgorithmPipeline From(TrainConfig config)
    {
        AlgorithmConfig a = config.Algorithm;
        var shapers = new List<IRewardShaper>();
        if (a.Ispo.Enabled) shapers.Add(AlgorithmRegistry.Create<IRewardShaper>("ispo", ComponentOptions.Ispo(a.Ispo)));
        if (a.Overlong.Enabled) shapers.Add(AlgorithmRegistry.Create<IRewardShaper>("overlong_penalty", ComponentOptions.Overlong(a.Overlong, config.Rollout)));
        if (a.Kl.InReward && a.Kl.Coef > 0) shapers.Add(AlgorithmRegistry.Create<IRewardShaper>("kl_penalty", ComponentOptions.KlPenalty(a.Kl)));
        return new AlgorithmPipeline
        {
            Shapers = shapers,
            Advantage = AlgorithmRegistry.Create<IAdvantageEstimator>(a.Advantage, ComponentOptions.Advantage(a)),
            Loss = AlgorithmRegistry.Create<IPolicyLoss>(a.Loss, ComponentOptions.Loss(a, config.Rollout)),
            Filter = a.DynamicSampling.Enabled ? AlgorithmRegistry.Create<IGroupFilter>("dynamic_sampling", ComponentOptions.DynamicSampling(a.DynamicSampling)) : null,
        };
    }

    /// <summary>Final rewards: the outcome reward passed through every shaper in order.</summary>
    public RewardShaping ShapeRewards(GroupedBatch batch)      // → Rewards [B] float32
    {
        using var scope = NewDisposeScope();
        Tensor rewards = batch.OutcomeRewards.to(ScalarType.Float32);
        var metrics = new MetricsBag();
        foreach (IRewardShaper shaper in Shapers)
        {
            RewardShaping shaped = shaper.Shape(batch, rewards);
            rewards = shaped.Rewards;
            metrics.Merge(shaped.Metrics);
        }
        return new RewardShaping(rewards.detach().MoveToOuterDisposeScope(), metrics);
    }
}
