// Run identity and bookkeeping: output folder, seed, length, sampling/checkpoint cadence, NaN policy.
namespace Ispo.Training.Configuration;

[RetiredKey("log_every", "delete it: every step is logged (it was never read)")]
public sealed record RunConfig : IValidatable
{
    public string Name { get; init; } = "run";
    /// <summary>Parent folder; the run lives in <c>out_dir/name</c>.</summary>
    public string OutDir { get; init; } = "runs";
    public int Seed { get; init; }
    public int Steps { get; init; } = 100;
    /// <summary>Write sampled rollouts every N steps; 0 disables.</summary>
    public int SampleEvery { get; init; } = 10;
    /// <summary>Rollouts written per sampling step.</summary>
    public int SamplesPerStep { get; init; } = 4;
    /// <summary>Checkpoint every N steps (and at the end); 0 only at the end.</summary>
    public int CheckpointEvery { get; init; } = 50;
    public int KeepLast { get; init; } = 3;
    /// <summary>Stop the run after this many non-finite losses in a row.</summary>
    public int MaxConsecutiveNan { get; init; } = 3;
    public bool Tensorboard { get; init; } = true;
    /// <summary>Memory the run may use ("80GiB", "64GB"): `ispo train` refuses a recipe whose plan exceeds it; null:
    /// no refusal, the plan is only printed.</summary>
    public string? MemoryBudget { get; init; }

    public IEnumerable<ConfigError> Validate() => Check.All(
        Check.That(Name.Length > 0 && Name.IndexOfAny(Path.GetInvalidFileNameChars()) < 0 && Name is not "." and not "..", "name",
            $"expected a folder name, got \"{Name}\""),
        Check.AtLeast("steps", Steps, 0),
        Check.AtLeast("sample_every", SampleEvery, 0),
        Check.AtLeast("samples_per_step", SamplesPerStep, 0),
        Check.AtLeast("checkpoint_every", CheckpointEvery, 0),
        Check.AtLeast("keep_last", KeepLast, 1),
        Check.AtLeast("max_consecutive_nan", MaxConsecutiveNan, 1),
        Check.That(MemoryBudget is null || Planning.ByteSize.TryParse(MemoryBudget, out _), "memory_budget",
            $"expected a memory size such as 80GiB or 64GB, got \"{MemoryBudget}\""));
}
