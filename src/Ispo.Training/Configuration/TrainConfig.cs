// The root of a training recipe: one section per concern, every default in the records.
using Ispo.Algorithms;

namespace Ispo.Training.Configuration;

/// <summary>A complete, resolved training configuration (what `configs/*.yaml` and `--set` override).</summary>
public sealed record TrainConfig : IValidatable
{
    public ModelSection Model { get; init; } = new();
    public DataConfig Data { get; init; } = new();
    public RolloutConfig Rollout { get; init; } = new();
    public AlgorithmConfig Algorithm { get; init; } = new();
    public OptimConfig Optim { get; init; } = new();
    public RunConfig Run { get; init; } = new();
    public EvalConfig Eval { get; init; } = new();
    public SftConfig Sft { get; init; } = new();

    /// <summary>Rows per step before dynamic sampling: prompts × group size.</summary>
    public int RowsPerStep => Data.PromptsPerStep * Rollout.GroupSize;

    /// <summary>Rows per scoring pass: whole groups (they share a prompt pass), bounded like a micro-batch.</summary>
    public int RowsPerScoringPass => Math.Max(1, Data.PromptsPerStep / Optim.GradAccumulation) * Rollout.GroupSize;

    /// <summary>Loads a recipe (null: defaults only) with <c>a.b=c</c> overrides; throws <see cref="ConfigException"/>.</summary>
    public static TrainConfig Load(string? path, IEnumerable<string>? overrides = null) => ConfigBinder.Load<TrainConfig>(path, overrides);

    public string ToYaml() => ConfigYaml.Serialize(this);

    public IEnumerable<ConfigError> Validate() => Check.All(
        Check.That(Optim.MiniBatchSize is null || Optim.MiniBatchSize <= RowsPerStep, "optim.mini_batch_size",
            $"expected at most data.prompts_per_step × rollout.group_size = {RowsPerStep}, got {Optim.MiniBatchSize}"),
        Check.That(Data.Task == TaskKind.Synthetic || Sft.Corpus == SftCorpus.Solutions, "sft.corpus",
            "pretraining is the synthetic task's corpus; with a dataset, use solutions"),
        Check.That(Data.Task == TaskKind.Synthetic || Sft.Tiers is null, "sft.tiers",
            "tiers are the synthetic task's; a dataset's SFT reads its rows"),
        Check.That(Rollout.WeightSync != WeightSyncKind.Lora || Model.Lora is not null, "rollout.weight_sync",
            "lora sends the policy's LoRA adapter to the engines, and this recipe trains no adapter: set model.lora, or use weight_sync: disk"),
        Check.That(Rollout.WeightSync != WeightSyncKind.Disk || Model.Lora is null, "rollout.weight_sync",
            "disk reloads full weights, and a LoRA policy saves only its adapter: use weight_sync: lora (vLLM's /v1/load_lora_adapter)"))
        .Concat(Algorithm.Check(ComponentContext()).Select(e => e with { Path = "algorithm." + e.Path }));

    /// <summary>What the algorithm's components know of the rest of the recipe.</summary>
    public ComponentContext ComponentContext() => new(Rollout.GroupSize, Rollout.MaxNewTokens);
}
