// DAPO's overlong soft punishment (Yu et al. 2025, Eq. 13), added to the reward from the response length |y|:
//   0 if |y| ≤ L_max − L_cache;  (L_max − L_cache − |y|)/L_cache in between;  −1 if |y| > L_max;  times `penalty`.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public sealed record OverlongPenaltyOptions
{
    public int CacheLength { get; init; } = 512;                // L_cache: the soft-punishment window
    public double Penalty { get; init; } = 1.0;                 // scale of the punishment
}

[AlgorithmComponent("overlong_penalty", typeof(OverlongPenaltyOptions), "DAPO soft overlong punishment in the last cache_length tokens.")]
public sealed class OverlongPenalty : IRewardShaper
{
    /// <summary>L_max is the context's max new tokens, which must be known.</summary>
    public OverlongPenalty(OverlongPenaltyOptions options, ComponentContext context)
    {
        if (context.MaxNewTokens < 1) throw new ArgumentException("overlong_penalty: needs the rollouts' max new tokens (L_max).");
        if (options.CacheLength < 1 || options.CacheLength >= context.MaxNewTokens)
            throw new ArgumentException($"overlong_penalty: cache_length must be in [1, max new tokens = {context.MaxNewTokens}), got {options.CacheLength}.");
        if (options.Penalty < 0) throw new ArgumentException($"overlong_penalty: penalty must be ≥ 0, got {options.Penalty}.");
        Options = options;
        MaxLength = context.MaxNewTokens;
    }

    public OverlongPenaltyOptions Options { get; }
    int MaxLength { get; }
    public BatchInputs Needs => BatchInputs.None;

    public RewardShaping Shape(GroupedBatch batch, Tensor rewards)   // [B] → [B]
    {
        using var scope = NewDisposeScope();
        Tensor length = batch.ResponseLengths().to(ScalarType.Float64);                // [B]
        double softStart = MaxLength - Options.CacheLength;
        Tensor penalty = ((softStart - length) / Options.CacheLength).clamp(-1, 0) * Options.Penalty;
        var metrics = new MetricsBag();
        metrics.Set("overlong/penalty_mean", penalty.mean().item<double>());
        return new RewardShaping((rewards.to(ScalarType.Float32) + penalty.to(ScalarType.Float32)).MoveToOuterDisposeScope(), metrics);
    }
}
