// Per-token estimators of KL(π_θ ‖ π_ref) from sampled-token log-probs (Schulman, "Approximating KL divergence"):
// with d = log π_ref − log π_θ:  k1 = −d,  k2 = d²/2,  k3 = exp(d) − d − 1 (verl's low_var_kl, clamped to ±K3Clamp).
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public enum KlEstimator { K1, K2, K3 }

public static class KlEstimators
{
    /// <summary>verl clamps low_var_kl to [−10, 10] so one extreme token cannot dominate.</summary>
    public const double K3Clamp = 10.0;

    public static Tensor PerToken(Tensor logProbs, Tensor refLogProbs, KlEstimator estimator)   // [B,T],[B,T] → [B,T]
    {
        using var scope = NewDisposeScope();
        Tensor d = refLogProbs - logProbs;
        Tensor kl = estimator switch
        {
            KlEstimator.K1 => -d,
            KlEstimator.K2 => 0.5 * d.square(),
            KlEstimator.K3 => (d.exp() - d - 1).clamp(-K3Clamp, K3Clamp),
            _ => throw new ArgumentOutOfRangeException(nameof(estimator), estimator, null),
        };
        return kl.MoveToOuterDisposeScope();
    }
}
