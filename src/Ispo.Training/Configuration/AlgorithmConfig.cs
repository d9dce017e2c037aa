// The RL objective: advantage estimator, clipped surrogate, KL, entropy bonus, aggregation, ISPO signals and the
// DAPO-style batch shaping. Names follow TRL/verl; defaults follow ISPO.md (the paper's App. A.2).
using Ispo.Algorithms;
namespace Ispo.Training.Configuration;


public sealed record AlgorithmConfig : IValidatable
{
    /// <summary>Registered advantage estimator name (e.g. <c>grpo</c>, <c>dr-grpo</c>).</summary>
    public string Advantage { get; init; } = "grpo";
    /// <summary>How advantages are divided: by the group's std (GRPO), the batch's std, or not at all (Dr. GRPO).</summary>
    public AdvantageScaling Scale { get; init; } = AdvantageScaling.Group;
    /// <summary>ε added to the std in the advantage's denominator.</summary>
    public double AdvantageEps { get; init; } = 1e-6;
    /// <summary>Registered policy loss name.</summary>
    public string Loss { get; init; } = "clipped";
    public ClipConfig Clip { get; init; } = new();
    public KlConfig Kl { get; init; } = new();
    public double EntropyCoef { get; init; }
    public LossAggregation Aggregation { get; init; } = LossAggregation.SeqMeanTokenMean;
    public IspoConfig Ispo { get; init; } = new();
    public DynamicSamplingConfig DynamicSampling { get; init; } = new();
    public OverlongConfig Overlong { get; init; } = new();
    /// <summary>Give truncated completions (no EOS within the budget) zero loss weight.</summary>
    public bool MaskTruncated { get; init; }

    public IEnumerable<ConfigError> Validate() => Check.All(
        Check.That(Advantage.Length > 0, "advantage", "expected an estimator name"),
        Check.That(Loss.Length > 0, "loss", "expected a loss name"),
        Check.Positive("advantage_eps", AdvantageEps),
        Check.AtLeast("entropy_coef", EntropyCoef, 0));
}

/// <summary>PPO clip range [1−ε_low, 1+ε_high] and the dual-clip bound c for negative advantages.</summary>
public sealed record ClipConfig : IValidatable
{
    public double EpsLow { get; init; } = 0.2;
    public double EpsHigh { get; init; } = 0.28;
    /// <summary>Dual-clip c (verl's clip_ratio_c); null disables it.</summary>
    public double? DualClipC { get; init; } = 3.0;

    public IEnumerable<ConfigError> Validate() => Check.All(
        Check.Range("eps_low", EpsLow, 0, 0.999999),
        Check.AtLeast("eps_high", EpsHigh, 0),
        Check.That(DualClipC is null or > 1, "dual_clip_c", $"expected a value > 1 (or null to disable), got {DualClipC}"));
}

/// <summary>KL penalty against the frozen base policy; coefficient 0 (the paper's setting) disables it.</summary>
public sealed record KlConfig : IValidatable
{
    public double Coef { get; init; }
    public KlEstimator Estimator { get; init; } = KlEstimator.K3;
    /// <summary>Subtract the KL from the reward (PPO style) instead of adding it to the loss (GRPO style).</summary>
    public bool InReward { get; init; }

    public IEnumerable<ConfigError> Validate() => Check.All(Check.AtLeast("coef", Coef, 0));
}

/// <summary>DAPO dynamic sampling: re-sample until enough groups have reward variance, at most <see cref="MaxRounds"/> times.</summary>
public sealed record DynamicSamplingConfig : IValidatable
{
    public bool Enabled { get; init; }
    /// <summary>Judge a group's spread on the outcome reward (DAPO) or on the final shaped reward.</summary>
    public GroupVarianceSource By { get; init; } = GroupVarianceSource.Outcome;
    /// <summary>Sampling rounds per step (the first included) before training on what was collected.</summary>
    public int MaxRounds { get; init; } = 3;

    public IEnumerable<ConfigError> Validate() => Check.All(Check.AtLeast("max_rounds", MaxRounds, 1));
}

/// <summary>DAPO soft overlong punishment: a linear penalty over the last <see cref="BufferLength"/> tokens of the budget.</summary>
public sealed record OverlongConfig : IValidatable
{
    public bool Enabled { get; init; }
    public int BufferLength { get; init; } = 256;
    public double PenaltyFactor { get; init; } = 1.0;

    public IEnumerable<ConfigError> Validate() => Check.All(
        Check.AtLeast("buffer_length", BufferLength, 1),
        Check.AtLeast("penalty_factor", PenaltyFactor, 0));
}
