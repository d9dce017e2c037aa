// Options shared by the clipped-surrogate losses (seq-mean-token-sum-norm divides by the context's max new tokens). Defaults: the paper's clip-higher range [1 − 0.2, 1 + 0.28],
// verl's dual-clip c = 3, no KL, no entropy bonus, TRL's token-mean aggregation.
namespace Ispo.Algorithms;

public record PolicyLossOptions
{
    public double ClipLow { get; init; } = 0.2;                 // ε_low
    public double ClipHigh { get; init; } = 0.28;               // ε_high
    /// <summary>Dual-clip c (> 1) bounds the loss of negative-advantage tokens at −c·Â; 0 disables it.</summary>
    public double DualClip { get; init; } = 3.0;
    public LossAggregation Aggregation { get; init; } = LossAggregation.TokenMean;
    /// <summary>KL-in-loss coefficient against the base/reference policy; 0 = no KL term.</summary>
    public double KlCoef { get; init; }
    public KlEstimator KlEstimator { get; init; } = KlEstimator.K3;
    /// <summary>Entropy bonus coefficient (loss −= coef·entropy); needs the current policy's entropies.</summary>
    public double EntropyCoef { get; init; }
    /// <summary>DAPO overlong filtering: truncated rollouts contribute no loss.</summary>
    public bool MaskTruncated { get; init; }

    internal void Validate(string name)
    {
        if (ClipLow is < 0 or >= 1) throw new ArgumentException($"{name}: clip_low must be in [0, 1), got {ClipLow}.");
        if (ClipHigh < 0) throw new ArgumentException($"{name}: clip_high must be ≥ 0, got {ClipHigh}.");
        if (DualClip != 0 && DualClip <= 1) throw new ArgumentException($"{name}: dual_clip must be > 1 or 0 (off), got {DualClip}.");
    }
}
