// Where prompts come from (the synthetic task or a dataset), how they are formatted and how many per step.
namespace Ispo.Training.Configuration;

public enum TaskKind { Synthetic, Dataset }

[RetiredKey("split", "delete it: it was never read; data.dataset alone says what is read")]
public sealed record DataConfig : IValidatable
{
    public TaskKind Task { get; init; } = TaskKind.Synthetic;
    /// <summary>Synthetic task tiers drawn for training (1 = easiest … 5).</summary>
    public IReadOnlyList<int> Tiers { get; init; } = [1, 2, 3, 4, 5];
    /// <summary>Synthetic training problems drawn once and cycled through (small pools revisit prompts across epochs).</summary>
    public int SyntheticPool { get; init; } = 4096;
    /// <summary>Dataset file or name when <see cref="Task"/> is <c>dataset</c>.</summary>
    public string? Dataset { get; init; }
    /// <summary>Prompt template (chat format) name.</summary>
    public string Template { get; init; } = "plain";
    /// <summary>How the template's text is rendered: auto (the tokenizer's chat template), raw, chatml, qwen or llama3.</summary>
    public string ChatFormat { get; init; } = "auto";
    /// <summary>P: prompts drawn per step.</summary>
    public int PromptsPerStep { get; init; } = 8;
    public bool Shuffle { get; init; } = true;

    public IEnumerable<ConfigError> Validate() => Check.All(
        Check.AtLeast("prompts_per_step", PromptsPerStep, 1),
        Check.AtLeast("synthetic_pool", SyntheticPool, 1),
        Check.That(Task != TaskKind.Dataset || !string.IsNullOrEmpty(Dataset), "dataset", "required when task is dataset"),
        Check.That(Task != TaskKind.Synthetic || (Tiers.Count > 0 && Tiers.All(t => t is >= 1 and <= 5)), "tiers",
            $"expected a non-empty list of tiers in 1..5, got [{string.Join(", ", Tiers)}]"));
}
