// GRPO's group-relative advantage: Â_i = (R_i − mean_G R) / (std_G R + ε), std with divisor G − 1 (ISPO.md §1).
// A group of one rollout gets 0 (its reward equals its mean). Scale = Batch divides by the batch's std instead.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public record GrpoOptions
{
    public AdvantageScaling Scale { get; init; } = AdvantageScaling.Group;
    public double Epsilon { get; init; } = 1e-6;
}

[AlgorithmComponent("grpo", typeof(GrpoOptions), "Group mean baseline, scaled by the group's sample std + ε (GRPO).")]
public sealed class GrpoAdvantage(GrpoOptions options) : IAdvantageEstimator
{
    public GrpoOptions Options { get; } = options;
    public BatchInputs Needs => BatchInputs.None;

    public Tensor Compute(Tensor rewards, int groupSize)        // [B] → [B], rewards' dtype
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor r = GroupMath.Grouped(rewards, groupSize);       // [P,G] float64
        Tensor centred = r - r.mean([1], keepdim: true);
        return GroupMath.Scale(centred, r, Options.Scale, Options.Epsilon, rewards.dtype).MoveToOuterDisposeScope();
    }
}
