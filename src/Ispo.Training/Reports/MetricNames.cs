// Every metric name the trainer logs and the report reads, in one place. TRL's names where they exist; ISPO's
// diagnostics under ispo/…; per-phase timings under time/….
namespace Ispo.Training.Reports;

public static class MetricNames
{
    // Rewards and groups (TRL)
    public const string Reward = "reward";
    public const string RewardStd = "reward_std";
    public const string FracRewardZeroStd = "frac_reward_zero_std";
    /// <summary>Per-reward-function mean: <c>rewards/&lt;fn&gt;/mean</c>.</summary>
    public static string RewardMean(string function) => $"rewards/{function}/mean";
    /// <summary>Mean verifier outcome R_o ∈ {0,1} of the step's rollouts: training accuracy.</summary>
    public static readonly string Accuracy = RewardMean("outcome");

    // Policy update (TRL)
    public const string Loss = "loss";
    public const string Kl = "kl";
    public const string Entropy = "entropy";
    public const string ClipRatioLow = "clip_ratio/low_mean";
    public const string ClipRatioHigh = "clip_ratio/high_mean";
    public const string ClipRatioRegion = "clip_ratio/region_mean";
    public const string GradNorm = "grad_norm";
    public const string LearningRate = "learning_rate";

    // Completions and throughput (TRL)
    public const string MeanLength = "completions/mean_length";
    public const string ClippedRatio = "completions/clipped_ratio";
    public const string NumTokens = "num_tokens";
    public const string StepTime = "step_time";
    public const string TokensPerSecond = "tokens_per_second";

    // Remote rollout engines (verl's names): |engine log-prob − trainer log-prob| over response tokens
    public const string LogProbDiffMean = "rollout/logprob_diff_mean";
    public const string LogProbDiffMax = "rollout/logprob_diff_max";

    // Dynamic sampling and robustness
    public const string SamplingRounds = "dynamic_sampling/rounds";
    public const string SkippedNonFinite = "nonfinite_skipped";

    // ISPO diagnostics (ISPO.md §2–3)
    public const string IfdCorrect = "ispo/ifd/correct_mean";
    public const string IfdIncorrect = "ispo/ifd/incorrect_mean";
    public const string TokenRewardCorrect = "ispo/token_reward/correct_mean";
    public const string TokenRewardIncorrect = "ispo/token_reward/incorrect_mean";
    /// <summary>Fraction of generated tokens in the critical set C.</summary>
    public const string CriticalFrac = "ispo/critical_frac";
    /// <summary>Fraction of generated tokens in the entropy filter 𝒜.</summary>
    public const string EntropySetFrac = "ispo/entropy_set_frac";
    /// <summary>Fraction of generated tokens in the drift set C_Δ.</summary>
    public const string DriftSetFrac = "ispo/drift_set_frac";
    /// <summary>Mean entropy at critical tokens of correct rollouts.</summary>
    public const string EntropyCriticalCorrect = "ispo/critical_entropy/correct";
    /// <summary>Mean entropy at critical tokens of incorrect rollouts (hallucinated certainty when it falls below τ_H).</summary>
    public const string EntropyCriticalIncorrect = "ispo/critical_entropy/incorrect";
    /// <summary>Mean entropy at the top-10% entropy tokens (𝒜) of correct rollouts: logged by every run.</summary>
    public const string EntropyHighCorrect = "ispo/high_entropy/correct";
    /// <summary>Mean entropy at the top-10% entropy tokens (𝒜) of incorrect rollouts: hallucinated certainty without a base model.</summary>
    public const string EntropyHighIncorrect = "ispo/high_entropy/incorrect";

    // Evaluation
    /// <summary>Held-out accuracy of a benchmark: <c>eval/&lt;name&gt;/accuracy</c> (synthetic tiers as <c>synthetic-tier3</c>).</summary>
    public static string EvalAccuracy(string benchmark) => $"eval/{benchmark}/accuracy";

    // Per-phase timings in seconds
    public static string PhaseTime(string phase) => $"time/{phase}";
    public const string PhaseSampling = "sampling";
    public const string PhaseScoring = "scoring";
    public const string PhaseSignals = "signals";
    public const string PhaseUpdate = "update";
}
