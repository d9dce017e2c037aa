// The component contracts. Every component is built from one immutable options record and declares the
// optional batch inputs it needs; call sites hold these interfaces and never branch on component names.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public interface IAlgorithmComponent
{
    /// <summary>Optional inputs this component reads (given its options).</summary>
    BatchInputs Needs { get; }
}

/// <summary>Turns final sequence rewards into advantages: one per rollout ([B], broadcast over its tokens by the
/// loss) or one per token ([B,T]); the batch gives groups, lengths and masks.</summary>
public interface IAdvantageEstimator : IAlgorithmComponent
{
    Tensor Compute(GroupedBatch batch, Tensor rewards);         // rewards: [B] float32 → [B] or [B,T] float32, detached
}

/// <summary>What every component may know of the recipe beyond its own options (components that want it take it as a
/// second constructor argument). Zero means unknown (a component built alone, e.g. in a test).</summary>
/// <param name="MaxNewTokens">The rollouts' length budget (overlong punishment, Dr. GRPO's constant normaliser).</param>
public sealed record ComponentContext(int GroupSize = 0, int MaxNewTokens = 0);

/// <summary>Adds a term to the sequence rewards (ISPO composite, overlong punishment, KL-in-reward).
/// Shapers chain in configuration order, starting from the batch's outcome rewards.</summary>
public interface IRewardShaper : IAlgorithmComponent
{
    RewardShaping Shape(GroupedBatch batch, Tensor rewards);    // rewards: [B] float32
}

public sealed record RewardShaping(Tensor Rewards, MetricsBag Metrics);   // Rewards: [B] float32, detached

/// <summary>The current policy evaluated on the batch's tokens, carrying grad.</summary>
public sealed record PolicyEvaluation(Tensor LogProbs, Tensor? Entropies = null);   // [B,T] float32 each

/// <summary>A policy-gradient loss over (a mini-batch slice of) the grouped batch.</summary>
public interface IPolicyLoss : IAlgorithmComponent
{
    PolicyLossResult Compute(PolicyEvaluation current, Tensor advantages, GroupedBatch batch);   // advantages: [B] or [B,T]

    /// <summary>The loss's denominator on <paramref name="batch"/>'s rows, additive over rows: gradient accumulation
    /// weights a micro-batch by its normaliser over its mini-batch's, which makes the accumulated update the mini-batch's
    /// exactly. The default, the row count, is exact for a mean over rows.</summary>
    double Normaliser(GroupedBatch batch) => batch.Rows;
}

public sealed record PolicyLossResult(Tensor Loss, MetricsBag Metrics);  // Loss: [] float32 with grad

/// <summary>Chooses which groups to keep (DAPO dynamic sampling); the trainer samples up to MaxRounds times to fill a step.</summary>
public interface IGroupFilter : IAlgorithmComponent
{
    int MaxRounds { get; }
    Tensor KeepGroups(GroupedBatch batch, Tensor rewards);      // rewards: [B] final rewards → [P] bool
}

public enum ComponentKind { Advantage, Loss, RewardShaper, GroupFilter }

/// <summary>Registers a component under a name (snake_case) with its options record; the registry finds it. The options
/// record holds the component's defaults; a recipe's options map for it is bound straight onto it.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class AlgorithmComponentAttribute(string name, Type optionsType, string description) : Attribute
{
    public string Name { get; } = name;
    public Type OptionsType { get; } = optionsType;
    public string Description { get; } = description;
}
