// RLOO: each rollout's baseline is the mean of the other G − 1 rewards in its group,
// Â_i = R_i − (Σ_j R_j − R_i)/(G − 1) = G/(G − 1)·(R_i − mean_G R); a group of one gets 0.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public sealed record RlooOptions
{
    public AdvantageScaling Scale { get; init; } = AdvantageScaling.None;
    public double Epsilon { get; init; } = 1e-6;
}

[AlgorithmComponent("rloo", typeof(RlooOptions), "Leave-one-out group baseline (RLOO), optional std scaling.")]
public sealed class RlooAdvantage(RlooOptions options) : IAdvantageEstimator
{
    public RlooOptions Options { get; } = options;
    public BatchInputs Needs => BatchInputs.None;

    public Tensor Compute(Tensor rewards, int groupSize)        // [B] → [B], rewards' dtype
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor r = GroupMath.Grouped(rewards, groupSize);       // [P,G] float64
        Tensor centred = groupSize < 2
            ? zeros_like(r)
            : r - (r.sum([1], keepdim: true) - r) / (groupSize - 1);
        return GroupMath.Scale(centred, r, Options.Scale, Options.Epsilon, rewards.dtype).MoveToOuterDisposeScope();
    }
}
