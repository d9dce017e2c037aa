// Shared shape of the group estimators: centre each reward against its group (float64), then scale (group std,
// batch std or none) and return the rewards' dtype. Subclasses choose the baseline.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public record AdvantageOptions
{
    public AdvantageScaling Scale { get; init; } = AdvantageScaling.Group;
    public double Epsilon { get; init; } = 1e-6;
}

public abstract class GroupAdvantage(AdvantageOptions options) : IAdvantageEstimator
{
    public AdvantageOptions Options { get; } = options;
    public BatchInputs Needs => BatchInputs.None;

    /// <summary>Reward minus its baseline, per group.</summary>
    protected abstract Tensor Centre(Tensor grouped, int groupSize);   // [P,G] float64 → [P,G]

    public Tensor Compute(GroupedBatch batch, Tensor rewards)   // [B] → [B], rewards' dtype
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor r = GroupMath.Grouped(rewards, batch.GroupSize); // [P,G] float64
        return GroupMath.Scale(Centre(r, batch.GroupSize), r, Options.Scale, Options.Epsilon, rewards.dtype).MoveToOuterDisposeScope();
    }
}
