// Options of `ispo demo`: where to write, which seed, and the quick variant (fewer steps and test problems).
namespace Ispo.Training.Demo;

public sealed record DemoOptions
{
    public string OutDir { get; init; } = "demo-out";
    public int Seed { get; init; }
    public bool Quick { get; init; }
    /// <summary>Recipe file; null uses the built-in configs/demo.yaml.</summary>
    public string? ConfigPath { get; init; }
    /// <summary>Extra <c>a.b=c</c> overrides applied after the demo's own.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = [];

    /// <summary>Quick mode: a shorter SFT and RL and fewer held-out problems, for a first look in ≤ 3 minutes.</summary>
    public IReadOnlyList<string> ModeOverrides => Quick
        ? ["sft.steps=120", "run.steps=10", "eval.max_problems=100"]
        : [];
}

/// <summary>One method's line of summary.json.</summary>
public sealed record DemoMethodSummary(double[] AccuracyByTier, double? ZeroAdvRate = null, double? StepTimeS = null, int? Steps = null);
