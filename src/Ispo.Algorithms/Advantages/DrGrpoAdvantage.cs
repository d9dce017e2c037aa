// Dr. GRPO's advantage: the group-mean-centred reward with no std scaling (Liu et al., "Understanding R1-Zero-Like
// Training"); pair it with the `seq-mean-token-sum-norm` loss aggregation for the full recipe.
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public sealed record DrGrpoOptions : GrpoOptions
{
    public DrGrpoOptions() => Scale = AdvantageScaling.None;
}

[AlgorithmComponent("dr_grpo", typeof(DrGrpoOptions), "Group-mean-centred reward, no std scaling (Dr. GRPO).")]
public sealed class DrGrpoAdvantage(DrGrpoOptions options) : IAdvantageEstimator
{
    readonly GrpoAdvantage inner = new(options);
    public BatchInputs Needs => BatchInputs.None;
    public Tensor Compute(Tensor rewards, int groupSize) => inner.Compute(rewards, groupSize);   // [B] → [B]
}
