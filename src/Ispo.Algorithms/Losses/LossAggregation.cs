// How a [B,T] per-token loss becomes a scalar. Seq means run over rows with at least one unmasked token.
//   token-mean               Σ L·m / Σ m                          (DAPO; TRL's default loss_type)
//   seq-mean-token-mean      mean_i [Σ_t L·m / Σ_t m]             (GRPO, the paper's Eq. 1)
//   seq-mean-token-sum       mean_i [Σ_t L·m]
//   seq-mean-token-sum-norm  Σ L·m / (B·L_norm)                   (Dr. GRPO's constant normaliser, as TRL's dr_grpo)
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public enum LossAggregation { TokenMean, SeqMeanTokenMean, SeqMeanTokenSum, SeqMeanTokenSumNorm }

public static class LossAggregator
{
    /// <param name="normLength">L_norm for seq-mean-token-sum-norm; 0 uses T (the padded width).</param>
    public static Tensor Aggregate(Tensor perToken, Tensor mask, LossAggregation mode, int normLength = 0)  // [B,T],[B,T] → []
    {
        using var scope = NewDisposeScope();
        Tensor masked = perToken * mask;                                            // [B,T]
        Tensor result = mode switch
        {
            LossAggregation.TokenMean => masked.sum() / mask.sum().clamp_min(1),
            LossAggregation.SeqMeanTokenMean => SeqMean(masked.sum(1) / mask.sum(1).clamp_min(1), mask),
            LossAggregation.SeqMeanTokenSum => SeqMean(masked.sum(1), mask),
            LossAggregation.SeqMeanTokenSumNorm => masked.sum() / (mask.shape[0] * (double)(normLength > 0 ? normLength : mask.shape[1])),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
        return result.MoveToOuterDisposeScope();
    }

    /// <summary>The denominator of <see cref="Aggregate"/> on these rows before clamping: Σ m (token-mean), the rows
    /// with a token (seq-mean-*), B·L_norm (seq-mean-token-sum-norm). Each is a sum over rows, so a micro-batch's
    /// loss weighted by its normaliser over the mini-batch's adds up to the mini-batch's loss exactly.</summary>
    public static double Normaliser(Tensor mask, LossAggregation mode, int normLength = 0)    // [B,T] → scalar
    {
        using var scope = NewDisposeScope();
        return mode switch
        {
            LossAggregation.TokenMean => mask.sum().item<float>(),
            LossAggregation.SeqMeanTokenMean or LossAggregation.SeqMeanTokenSum => (mask.sum(1) > 0).sum().item<long>(),
            LossAggregation.SeqMeanTokenSumNorm => mask.shape[0] * (double)(normLength > 0 ? normLength : mask.shape[1]),
            _ => throw new ArgumentOutOfRangeException(nameof(mode), mode, null),
        };
    }

    static Tensor SeqMean(Tensor perSequence, Tensor mask)     // [B] → []
    {
        Tensor present = (mask.sum(1) > 0).to(perSequence.dtype);                  // [B]
        return (perSequence * present).sum() / present.sum().clamp_min(1);
    }
}
