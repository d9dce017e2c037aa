// Dr. GRPO's advantage: the group-mean-centred reward with no std scaling (Liu et al., "Understanding R1-Zero-Like
// Training"); pair it with the `seq-mean-token-sum-norm` loss aggregation for the full recipe.
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public sealed record DrGrpoOptions : AdvantageOptions
{
    public DrGrpoOptions() => Scale = AdvantageScaling.None;
}

[AlgorithmComponent("dr_grpo", typeof(DrGrpoOptions), "Group-mean-centred reward, no std scaling (Dr. GRPO).")]
public sealed class DrGrpoAdvantage(DrGrpoOptions options) : GroupAdvantage(options)
{
    protected override Tensor Centre(Tensor grouped, int groupSize) => grouped - grouped.mean([1], keepdim: true);
}
