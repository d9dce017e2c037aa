// ISPO's intrinsic signals (ISPO.md §3), vectorised over the batch and detached:
//   IFD_cond = (1/|A|)·Σ_{t∈A} [log p(y_t|Q,T,A_<t) − log p(y_t|Q,A_<t)]                       (Eq. 2)
//   𝒜 = the ⌈round(k·n, 9)⌉ highest-entropy generated tokens, ties to the earlier position       (Eq. 4)
//   C_Δ = { t : log π_θold(y_t) − log π_θ0(y_t) ≥ τ_Δ }                                         (Eq. 5)
//   R_token = mean over C of log π_θold(y_t) (correct) or α·H_t − β·max(0, τ_H − H_t) (incorrect); 0 if C = ∅   (Eqs. 6–7)
//   R = R_o + λ1·(2R_o − 1)·IFD_cond + λ2·R_token                                               (Eq. 8)
// A rollout counts as correct when R_o > 0.5. Terms whose λ is 0 are skipped in R exactly (their inputs may be absent);
// R_token is still computed for reporting when the entropies are there (with no base log-probs C_Δ is empty).
// A rollout without an answer (|A| = 0 on its valid tokens; known only when the batch has an answer mask) follows
// options.NoAnswer (ISPO.md §3.1): worst_answered gives it IFD_cond = max(IFD of its group's answered incorrect
// rollouts, 0) with the incorrect sign and token reward (a verifier scores it R_o = 0 anyway; a caller's R_o = 1 does
// not make it correct), so not answering never pays more than the group's worst answered wrong rollout; zero_ifd
// gives it IFD_cond = 0 and leaves the rest to R_o.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public sealed record IspoSignalResult(
    Tensor Ifd,            // [B] float32 (the batch's dtype), the IFD_cond that enters Eq. 8 (after the no-answer rule)
    Tensor EntropySet,     // [B,T] bool, 𝒜
    Tensor DriftSet,       // [B,T] bool, C_Δ
    Tensor Critical,       // [B,T] bool, C (per options.CriticalSet)
    Tensor TokenReward,    // [B] float32, R_token (also when λ2 = 0, if the batch has entropies; else 0)
    Tensor Reward,         // [B] float32, composite R (Eq. 8)
    Tensor Answered);      // [B] bool, |A| > 0 (all true when the batch has no answer mask)

public static class IspoSignals
{
    public static IspoSignalResult Compute(GroupedBatch batch, IspoOptions options)
    {
        options.Validate();
        batch.Validate(options.Needs);
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        Tensor valid = batch.ResponseMask > 0.5;                                        // [B,T] bool
        Tensor outcome = batch.OutcomeRewards.to(batch.OldLogProbs.dtype);              // [B]; float32 in training, float64 from the CLI
        Tensor answered = Answered(batch, valid);                                       // [B] bool
        Tensor ruled = options.NoAnswer == NoAnswer.WorstAnswered ? answered.logical_not() : zeros_like(answered); // [B] bool
        Tensor correct = (outcome > 0.5).logical_and(ruled.logical_not());              // [B] bool
        Tensor ifd = ConditionalIfd(batch, valid);                                      // [B]
        if (options.NoAnswer == NoAnswer.WorstAnswered)
            ifd = where(ruled, WorstAnsweredIncorrect(ifd, answered.logical_and(correct.logical_not()), batch.GroupSize), ifd);
        Tensor sign = (2 * outcome - 1).masked_fill(ruled, -1.0);                       // [B]; answered rows: exactly 2R_o − 1
        Tensor entropySet = batch.Entropies is null ? zeros_like(valid) : TopEntropySet(batch.Entropies, valid, options.TopK);
        Tensor driftSet = batch.BaseLogProbs is null
            ? zeros_like(valid)
            : valid.logical_and(batch.OldLogProbs - batch.BaseLogProbs >= options.TauDelta);
        Tensor critical = options.CriticalSet switch
        {
            CriticalSet.Intersection => entropySet.logical_and(driftSet),
            CriticalSet.Union => entropySet.logical_or(driftSet),
            CriticalSet.Entropy => entropySet.clone(),
            CriticalSet.Drift => driftSet.clone(),
            _ => throw new ArgumentOutOfRangeException(nameof(options), options.CriticalSet, null),
        };
        // R_token is reported whenever its inputs are there (an audit of λ2 = 0 runs still sees it); R adds it only if λ2 ≠ 0
        Tensor tokenReward = batch.Entropies is not null ? TokenReward(batch, critical, correct, options) : zeros_like(outcome);
        Tensor reward = outcome.clone();                                                // λ = 0 terms are skipped: R = R_o exactly
        if (options.Lambda1 != 0) reward += options.Lambda1 * sign * ifd;
        if (options.Lambda2 != 0) reward += options.Lambda2 * tokenReward;
        return new IspoSignalResult(ifd.MoveToOuterDisposeScope(), entropySet.MoveToOuterDisposeScope(), driftSet.MoveToOuterDisposeScope(),
                                    critical.MoveToOuterDisposeScope(), tokenReward.MoveToOuterDisposeScope(), reward.MoveToOuterDisposeScope(),
                                    answered.MoveToOuterDisposeScope());
    }

    /// <summary>Rows with at least one valid answer token; every row when the batch carries no answer mask (λ1 = 0),
    /// since then nothing is known about answers and no rule can apply.</summary>
    static Tensor Answered(GroupedBatch batch, Tensor valid)                             // → [B] bool
    {
        if (batch.AnswerMask is null) return ones(batch.Rows, dtype: ScalarType.Bool, device: batch.ResponseMask.device);
        return valid.logical_and(batch.AnswerMask > 0.5).any(1);
    }

    /// <summary>Per row, max(IFD of its group's <paramref name="candidates"/>, 0); 0 for a group with none (−∞ clamps
    /// to 0). Rows are contiguous by group, so the group max is a view(P, G).</summary>
    static Tensor WorstAnsweredIncorrect(Tensor ifd, Tensor candidates, int groupSize)  // [B],[B] bool → [B]
    {
        Tensor pool = ifd.masked_fill(candidates.logical_not(), double.NegativeInfinity).view(-1, groupSize); // [P,G]
        Tensor worst = pool.amax([1], keepdim: true).clamp_min(0);                       // [P,1]
        return worst.expand(-1, groupSize).reshape(-1);
    }

    static Tensor ConditionalIfd(GroupedBatch batch, Tensor valid)                       // → [B]
    {
        if (batch.AnswerMask is null || batch.AblatedAnswerLogProbs is null) return zeros(batch.Rows, dtype: batch.OldLogProbs.dtype, device: batch.OldLogProbs.device);
        Tensor answer = valid.logical_and(batch.AnswerMask > 0.5);                     // [B,T]
        Tensor gain = (batch.OldLogProbs - batch.AblatedAnswerLogProbs).masked_fill(answer.logical_not(), 0f); // [B,T]; filler off-answer ignored
        return gain.sum(1) / answer.sum(1).clamp_min(1).to(gain.dtype);
    }

    /// <summary>𝒜: per row, the ⌈round(k·n, 9)⌉ valid tokens of highest entropy, ties to the earlier position.
    /// A top-k (not a full sort) finds each row's threshold entropy; tokens above it are in, and of the tokens equal
    /// to it only the earliest ones needed to fill the count (a cumulative sum ranks the ties by position).</summary>
    internal static Tensor TopEntropySet(Tensor entropies, Tensor valid, double topK)   // [B,T],[B,T] → [B,T] bool
    {
        Tensor n = valid.sum(1).to(ScalarType.Float64);                                 // [B]
        Tensor keep = (n * topK * 1e9).round().div(1e9).ceil().to(ScalarType.Int64);   // [B] count, k·n rounded to 9 decimals
        long most = keep.max().item<long>();
        if (most == 0) return zeros_like(valid);
        Tensor keyed = entropies.masked_fill(valid.logical_not(), double.NegativeInfinity);   // [B,T]
        Tensor top = keyed.topk((int)most, dim: 1).values;                              // [B,most] descending
        Tensor threshold = top.gather(1, (keep - 1).clamp_min(0).unsqueeze(1));         // [B,1] the keep-th largest
        Tensor above = keyed > threshold;                                               // [B,T]
        Tensor ties = keyed == threshold;
        Tensor tiesNeeded = (keep - above.sum(1)).unsqueeze(1);                         // [B,1]
        Tensor earlyTies = ties.logical_and(ties.cumsum(1) <= tiesNeeded);
        return above.logical_or(earlyTies).logical_and(valid).logical_and((keep > 0).unsqueeze(1));
    }

    static Tensor TokenReward(GroupedBatch batch, Tensor critical, Tensor correct, IspoOptions options)  // → [B]
    {
        Tensor h = batch.Entropies!;                                                    // [B,T]
        Tensor sharpen = batch.OldLogProbs;
        Tensor suppress = options.Alpha * h - options.Beta * (options.TauH - h).clamp_min(0);
        Tensor perToken = options.Symmetric ? sharpen : where(correct.unsqueeze(1), sharpen, suppress);
        Tensor count = critical.sum(1).to(perToken.dtype);                               // |C|
        return perToken.masked_fill(critical.logical_not(), 0f).sum(1) / count.clamp_min(1);
    }
}
