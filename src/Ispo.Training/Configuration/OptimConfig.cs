// AdamW, learning-rate schedule, gradient clipping and the μ-epoch mini-batch update loop.
namespace Ispo.Training.Configuration;

public enum LrSchedule { Constant, Cosine }

public sealed record OptimConfig : IValidatable
{
    public double Lr { get; init; } = 1e-6;
    public double Beta1 { get; init; } = 0.9;
    public double Beta2 { get; init; } = 0.999;
    public double Eps { get; init; } = 1e-8;
    public double WeightDecay { get; init; } = 0.01;
    public int WarmupSteps { get; init; }
    public LrSchedule Schedule { get; init; } = LrSchedule.Constant;
    /// <summary>Cosine floor as a fraction of <see cref="Lr"/>.</summary>
    public double MinLrRatio { get; init; }
    /// <summary>Max global gradient norm; 0 disables clipping.</summary>
    public double GradClip { get; init; } = 1.0;
    /// <summary>μ: passes over each step's rollouts.</summary>
    public int Epochs { get; init; } = 1;
    /// <summary>Rows per optimizer step; null means the whole step's batch.</summary>
    public int? MiniBatchSize { get; init; }
    /// <summary>Micro-batches accumulated per mini-batch (bounds memory, not the math).</summary>
    public int GradAccumulation { get; init; } = 1;

    public IEnumerable<ConfigError> Validate() => Check.All(
        Check.Positive("lr", Lr),
        Check.Range("beta1", Beta1, 0, 0.999999),
        Check.Range("beta2", Beta2, 0, 0.999999999),
        Check.Positive("eps", Eps),
        Check.AtLeast("weight_decay", WeightDecay, 0),
        Check.AtLeast("warmup_steps", WarmupSteps, 0),
        Check.Range("min_lr_ratio", MinLrRatio, 0, 1),
        Check.AtLeast("grad_clip", GradClip, 0),
        Check.AtLeast("epochs", Epochs, 1),
        Check.That(MiniBatchSize is null or >= 1, "mini_batch_size", $"expected at least 1, got {MiniBatchSize}"),
        Check.AtLeast("grad_accumulation", GradAccumulation, 1));
}
