// The plan's result: the bytes each part of a training step needs, each phase's peak, whether the largest fits the
// budget, the largest micro-batch and rollout chunk that would, and what to change when something does not.
namespace Ispo.Training.Planning;

public sealed record MemoryPlan
{
    public required long Parameters { get; init; }
    /// <summary>Parameters that train: all of them, or with LoRA the adapters' (which add to the weights).</summary>
    public required long TrainableParameters { get; init; }
    /// <summary>Named parts in a fixed order (see MemoryPlanner for each formula).</summary>
    public required IReadOnlyList<KeyValuePair<string, long>> Bytes { get; init; }
    public required long Sampling { get; init; }
    public required long Scoring { get; init; }
    public required long Update { get; init; }
    /// <summary>The update's peak with per-layer activation checkpointing, and without it (<see cref="Update"/> is the
    /// one model.gradient_checkpointing picks).</summary>
    public required long UpdateCheckpointed { get; init; }
    public required long UpdateWithoutCheckpointing { get; init; }
    public required bool GradientCheckpointing { get; init; }
    public long Peak => Math.Max(Sampling, Math.Max(Scoring, Update));
    public long? Budget { get; init; }
    public bool Fits => Budget is not { } budget || Peak <= budget;
    public required int Rows { get; init; }
    public required int SequenceTokens { get; init; }
    public required int MicroBatchRows { get; init; }
    /// <summary>Padded tokens of the largest micro-batch the update plans for (rows × T, or optim.micro_batch_tokens).</summary>
    public required long MicroBatchTokens { get; init; }
    /// <summary>Rollouts the sampler decodes at once (rollout.kv_cache_budget's chunk, or all of the step's).</summary>
    public required int RolloutRows { get; init; }
    /// <summary>Largest optim.micro_batch_tokens whose update fits (under the configured checkpointing); null without a budget.</summary>
    public long? MaxMicroBatchTokens { get; init; }
    /// <summary>Largest micro-batch (rows) whose update fits the budget; null without a budget.</summary>
    public int? MaxMicroBatchRows { get; init; }
    public int? MaxMicroBatchRowsCheckpointed { get; init; }
    /// <summary>Largest number of rollouts sampled at once (whole groups) that fits; null without a budget.</summary>
    public int? MaxRolloutRows { get; init; }
    /// <summary>What does not fit and what to change, one sentence each; empty when it fits.</summary>
    public required IReadOnlyList<string> Problems { get; init; }

    public long this[string part] => Bytes.First(kv => kv.Key == part).Value;

    /// <summary>One line for `ispo train`'s log.</summary>
    public string Summary() =>
        $"memory plan: {Parameters:N0} parameters; peak {ByteSize.Format(Peak)} (sampling {ByteSize.Format(Sampling)}, "
        + $"scoring {ByteSize.Format(Scoring)}, update {ByteSize.Format(Update)})"
        + (Budget is { } b ? $" of {ByteSize.Format(b)}: {(Fits ? "fits" : "does not fit")}" : "");
}
