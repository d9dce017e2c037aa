// A per-token estimator that lives in the tests, written as the README's "add an advantage estimator" walkthrough says:
// GRPO's advantage of each rollout, discounted by γ per token before the rollout's end, A_{i,t} = Â_i·γ^(n_i − 1 − t).
// It reads the batch's response mask, which an estimator given only rewards could not.
using Ispo.Algorithms;
using static TorchSharp.torch;

namespace Ispo.Training.Tests.Trainer;

public sealed record DecayedGrpoOptions
{
    /// <summary>γ in (0, 1]: 1 is GRPO's advantage on every token.</summary>
    public double Gamma { get; init; } = 0.9;
}

[AlgorithmComponent("decayed_grpo", typeof(DecayedGrpoOptions), "GRPO's advantage, discounted by gamma per token before the rollout's end (a test's per-token estimator).")]
public sealed class DecayedGrpoAdvantage : IAdvantageEstimator
{
    readonly GrpoAdvantage grpo = new(new GrpoOptions());
    readonly double gamma;

    public DecayedGrpoAdvantage(DecayedGrpoOptions options)
    {
        if (options.Gamma is not (> 0 and <= 1)) throw new ArgumentException($"decayed_grpo: gamma must be in (0, 1], got {options.Gamma}.");
        gamma = options.Gamma;
    }

    public BatchInputs Needs => BatchInputs.None;

    public Tensor Compute(GroupedBatch batch, Tensor rewards)   // [B] → [B,T] float32
    {
        using var scope = NewDisposeScope();
        Tensor perRollout = grpo.Compute(batch, rewards);                                 // [B]
        Tensor position = batch.ResponseMask.cumsum(1) - 1;                               // [B,T] token index
        Tensor fromEnd = (batch.ResponseLengths().unsqueeze(1) - 1 - position).clamp_min(0);
        Tensor decay = (fromEnd * Math.Log(gamma)).exp() * batch.ResponseMask;            // [B,T], 0 on padding
        return (perRollout.unsqueeze(1) * decay).to(rewards.dtype).MoveToOuterDisposeScope();
    }
}
