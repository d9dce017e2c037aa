// Options of `ispo study` (and of the demo, which is a one-seed study of GRPO against ISPO).
namespace Ispo.Training.Study;

public sealed record StudyOptions
{
    public string OutDir { get; init; } = "study-out";
    public IReadOnlyList<int> Seeds { get; init; } = [0, 1, 2];
    /// <summary>Method names to run (null: the whole grid).</summary>
    public IReadOnlyList<string>? Methods { get; init; }
    /// <summary>Run the ablations (on the first seed).</summary>
    public bool Ablations { get; init; } = true;
    public string MainPreset { get; init; } = "demo";
    /// <summary>Preset of the second base-model size (GRPO and ISPO on the first seed); null skips it.</summary>
    public string? SecondPreset { get; init; } = "medium";
    /// <summary>Which sizes' cells to run ("main", "second"; null: both), so that parts of one study can run in separate
    /// processes over the same folder (a last run with every size then only aggregates).</summary>
    public IReadOnlyList<string>? Sizes { get; init; }
    /// <summary>K samples per held-out problem for avg@K and pass@K, at <see cref="EvalTemperature"/>.</summary>
    public int EvalSamples { get; init; } = 8;
    /// <summary>The paper's multi-sample temperature (ISPO.md §6).</summary>
    public double EvalTemperature { get; init; } = 0.6;
    /// <summary>Training prompts per tier (G rollouts each) for the step-0 precondition figures.</summary>
    public int PreconditionPrompts { get; init; } = 128;
    public bool Quick { get; init; }
    /// <summary>Recipe file; null uses the built-in configs/study.yaml.</summary>
    public string? ConfigPath { get; init; }
    /// <summary>Extra <c>a.b=c</c> overrides applied after the study's own.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>Quick mode: a short pretraining and RL and few held-out problems, a smoke run of the whole grid.</summary>
    public IReadOnlyList<string> ModeOverrides => Quick
        ? ["sft.steps=60", "run.steps=3", "eval.max_problems=40", "run.checkpoint_every=2"]
        : [];

    public int PreconditionPromptsFor => Quick ? Math.Min(PreconditionPrompts, 16) : PreconditionPrompts;
}
