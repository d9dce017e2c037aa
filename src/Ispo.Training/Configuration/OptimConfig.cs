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
    /// <summary>Packs each mini-batch into micro-batches by padded tokens instead of rows: rows sorted longest response
    /// first, each micro-batch as many as keep rows × (prompt width + its longest response) within this many tokens; a
    /// row longer than that alone is its own micro-batch. null: grad_accumulation's equal row split. Either way the
    /// accumulated update equals the mini-batch's (each micro-batch weighted by its share of the loss's normaliser).
    /// grad_accumulation still sets the rows of a scoring pass.</summary>
    public int? MicroBatchTokens { get; init; }

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
        Check.AtLeast("grad_accumulation", GradAccumulation, 1),
        Check.That(MicroBatchTokens is null or >= 1, "micro_batch_tokens", $"expected at least 1 (or null: split by rows), got {MicroBatchTokens}"));
}
