// ISPO as a reward shaper: adds λ1·(2R_o − 1)·IFD_cond + λ2·R_token (Eq. 8) to the incoming rewards, so after the
// outcome reward alone it yields exactly the composite R that replaces R_o in the GRPO advantage.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

[AlgorithmComponent("ispo", typeof(IspoOptions), "ISPO composite reward: signed conditional IFD + directional critical-token reward (Eq. 8).")]
public sealed class IspoRewardShaper : IRewardShaper
{
    public IspoRewardShaper(IspoOptions options, ComponentContext context)
    {
        options.Validate();
        if (context.GroupSize == 1) throw new ArgumentException("ispo: needs groups of at least 2 rollouts (group size is 1).");
        Options = options;
    }

    public IspoRewardShaper(IspoOptions options) : this(options, new ComponentContext()) { }

    public IspoOptions Options { get; }
    public BatchInputs Needs => Options.Needs;

    public RewardShaping Shape(GroupedBatch batch, Tensor rewards)   // [B] → [B]
    {
        using var scope = NewDisposeScope();
        IspoSignalResult signals = IspoSignals.Compute(batch, Options);
        Tensor shaped = rewards.to(ScalarType.Float32) + (signals.Reward - batch.OutcomeRewards.to(ScalarType.Float32));
        return new RewardShaping(shaped.detach().MoveToOuterDisposeScope(), IspoMetrics.From(batch, signals));
    }
}
