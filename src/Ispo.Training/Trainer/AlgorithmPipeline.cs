// The configured algorithm as components: reward shapers chained after the outcome reward, an advantage estimator,
// a policy loss and an optional group filter, each built by name from its own options and the recipe's context.
// The trainer only sees the interfaces and the union of their input needs.
using Ispo.Algorithms;
using Ispo.Models.Runtime;
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
    public BatchInputs Needs => Shapers.Aggregate(Advantage.Needs | Loss.Needs | (Filter?.Needs ?? BatchInputs.None),
        (needs, shaper) => needs | shaper.Needs);

    public static AlgorithmPipeline From(TrainConfig config)
    {
        AlgorithmConfig a = config.Algorithm;
        ComponentContext context = config.ComponentContext();
        return new AlgorithmPipeline
        {
            Shapers = a.Shapers.Select(s => s.Create(context)).ToList(),
            Advantage = a.Advantage.Create(context),
            Loss = a.Loss.Create(context),
            Filter = a.Filter?.Create(context),
        };
    }

    /// <summary>Final rewards: the outcome reward passed through every shaper in order. Each shaper's rewards must stay
    /// on the batch's device (<see cref="DeviceGuard"/>).</summary>
    public RewardShaping ShapeRewards(GroupedBatch batch)      // → Rewards [B] float32
    {
        using var scope = NewDisposeScope();
        Tensor rewards = batch.OutcomeRewards.to(ScalarType.Float32);
        var metrics = new MetricsBag();
        foreach (IRewardShaper shaper in Shapers)
        {
            string where = $"reward shaper {shaper.GetType().Name}";
            Tensor input = rewards;
            RewardShaping shaped = DeviceGuard.At(where, () => shaper.Shape(batch, input));
            DeviceGuard.Expect(batch.ResponseMask.device, where, ("its rewards", shaped.Rewards));
            rewards = shaped.Rewards;
            metrics.Merge(shaped.Metrics);
        }
        return new RewardShaping(rewards.detach().MoveToOuterDisposeScope(), metrics);
    }

    /// <summary>The estimator's advantages, checked to stay on the batch's device.</summary>
    public Tensor Advantages(GroupedBatch batch, Tensor rewards)    // → [B] or [B,T]
    {
        string where = $"advantage estimator {Advantage.GetType().Name}";
        Tensor advantages = DeviceGuard.At(where, () => Advantage.Compute(batch, rewards));
        DeviceGuard.Expect(batch.ResponseMask.device, where, ("its advantages", advantages));
        return advantages;
    }

    /// <summary>The filter's kept groups as host booleans ([P]).</summary>
    public bool[] KeepGroups(GroupedBatch batch, Tensor rewards)
    {
        string where = $"group filter {Filter!.GetType().Name}";
        Tensor keep = DeviceGuard.At(where, () => Filter.KeepGroups(batch, rewards));
        DeviceGuard.Expect(batch.ResponseMask.device, where, ("its kept groups", keep));
        return keep.cpu().data<bool>().ToArray();
    }
}
