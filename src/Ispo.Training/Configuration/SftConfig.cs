// Supervised warm start: cross-entropy on prompt → worked solution, loss on the solution tokens only.
namespace Ispo.Training.Configuration;

/// <summary>What SFT trains on: the task's worked solutions (a warm start), or for the synthetic task the varied
/// pretraining corpus (PretrainingCorpus: several styles and step orders, some slips and unfinished texts), which
/// gives a base model with diverse rollouts.</summary>
public enum SftCorpus { Solutions, Pretraining }

public sealed record SftConfig : IValidatable
{
    public SftCorpus Corpus { get; init; } = SftCorpus.Solutions;
    /// <summary>Synthetic tiers of the SFT texts; null uses data.tiers (a base model may read wider than RL trains).</summary>
    public IReadOnlyList<int>? Tiers { get; init; }
    /// <summary>0 skips the SFT phase.</summary>
    public int Steps { get; init; }
    public int BatchSize { get; init; } = 32;
    public double Lr { get; init; } = 3e-3;
    public int WarmupSteps { get; init; } = 20;
    public LrSchedule Schedule { get; init; } = LrSchedule.Cosine;
    public double WeightDecay { get; init; }
    public double GradClip { get; init; } = 1.0;
    public int LogEvery { get; init; } = 10;

    public IEnumerable<ConfigError> Validate() => Check.All(
        Check.AtLeast("steps", Steps, 0),
        Check.That(Tiers is null || (Tiers.Count > 0 && Tiers.All(t => t is >= 1 and <= 5)), "tiers",
            $"expected a non-empty list of tiers in 1..5, got [{string.Join(", ", Tiers ?? [])}]"),
        Check.AtLeast("batch_size", BatchSize, 1),
        Check.Positive("lr", Lr),
        Check.AtLeast("warmup_steps", WarmupSteps, 0),
        Check.AtLeast("weight_decay", WeightDecay, 0),
        Check.AtLeast("grad_clip", GradClip, 0),
        Check.AtLeast("log_every", LogEvery, 1));
}
