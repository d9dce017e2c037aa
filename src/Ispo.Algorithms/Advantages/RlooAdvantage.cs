// RLOO: each rollout's baseline is the mean of the other G − 1 rewards in its group,
// Â_i = R_i − (Σ_j R_j − R_i)/(G − 1) = G/(G − 1)·(R_i − mean_G R); a group of one gets 0. No scaling by default.
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public sealed record RlooOptions : AdvantageOptions
{
    public RlooOptions() => Scale = AdvantageScaling.None;
}

[AlgorithmComponent("rloo", typeof(RlooOptions), "Leave-one-out group baseline (RLOO), optional std scaling.")]
public sealed class RlooAdvantage(RlooOptions options) : GroupAdvantage(options)
{
    protected override Tensor Centre(Tensor grouped, int groupSize) =>
        groupSize < 2 ? zeros_like(grouped) : grouped - (grouped.sum([1], keepdim: true) - grouped) / (groupSize - 1);
}
