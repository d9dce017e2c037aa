// The study's grid, fixed before any run (ISPO.md §4–5): the main comparison on every seed, the paper's ablations
// and the two open decisions of §3.1 on the first seed, and GRPO against ISPO on a second base-model size.
using Ispo.Algorithms;

namespace Ispo.Training.Study;

public enum MethodRole { Main, Ablation, SecondSize }

/// <param name="Overrides">Settings over the study recipe (which is GRPO as the paper runs it).</param>
public sealed record StudyMethod(string Name, MethodRole Role, string[] Overrides, string Description);

/// <param name="Preset">Model preset of the base model.</param>
/// <param name="Seeds">Seeds trained at this size; every method of a seed starts from the same base weights.</param>
public sealed record StudyCell(string Size, string Preset, int Seed, IReadOnlyList<StudyMethod> Methods)
{
    public string Folder => Path.Combine(Size, $"seed-{Seed}");
}

public static class StudyPlan
{
    /// <summary>ISPO with its own defaults (the paper's coefficients) and <paramref name="options"/> over them.</summary>
    static string[] Ispo(string options = "") => [$"algorithm.shapers=[{{name: ispo{(options.Length > 0 ? ", " + options : "")}}}]"];

    /// <summary>What the ISPO methods run with, unless an ablation says otherwise.</summary>
    public static readonly IspoOptions IspoOptions = new();

    public static readonly IReadOnlyList<StudyMethod> Methods =
    [
        new("grpo", MethodRole.Main, [], "GRPO: per-group std, clip 0.2/0.28, no KL"),
        new("dr-grpo", MethodRole.Main, ["algorithm.advantage=dr_grpo", "algorithm.loss.aggregation=seq-mean-token-sum-norm"],
            "Dr. GRPO: no std scaling, no length normalisation"),
        new("dapo", MethodRole.Main, ["algorithm.filter={name: dynamic_sampling, max_rounds: 3}"],
            "GRPO with DAPO's dynamic sampling (re-sample until groups have mixed outcomes, ≤ 3 rounds)"),
        new("ispo", MethodRole.Main, Ispo(), "ISPO: the paper's coefficients and per-group std; answer_span content, no_answer worst_answered"),
        new("ispo-ifd-only", MethodRole.Ablation, Ispo("lambda2: 0"), "+IFD only (λ2 = 0)"),
        new("ispo-token-only", MethodRole.Ablation, Ispo("lambda1: 0"), "+token only (λ1 = 0)"),
        new("ispo-entropy-only", MethodRole.Ablation, Ispo("critical_set: entropy"), "C = 𝒜 only"),
        new("ispo-drift-only", MethodRole.Ablation, Ispo("critical_set: drift"), "C = C_Δ only"),
        new("ispo-union", MethodRole.Ablation, Ispo("critical_set: union"), "C = 𝒜 ∪ C_Δ"),
        new("ispo-symmetric", MethodRole.Ablation, Ispo("symmetric: true"), "symmetric: R⁺ form for incorrect rollouts too"),
        new("ispo-no-hinge", MethodRole.Ablation, Ispo("beta: 0"), "β = 0 (no hinge)"),
        new("ispo-segment", MethodRole.Ablation, Ispo("answer_span: segment"), "A = the whole answer segment (the paper's literal span)"),
        new("ispo-zero-ifd", MethodRole.Ablation, Ispo("no_answer: zero_ifd"), "unanswered rollouts get IFD = 0 (the literal reading)"),
        new("grpo", MethodRole.SecondSize, [], "GRPO on the larger base model"),
        new("ispo", MethodRole.SecondSize, Ispo(), "ISPO on the larger base model"),
    ];

    /// <summary>The cells to run, cheapest evidence first: the main comparison on every seed, then the ablations on
    /// the first seed (the same base model and folder), then the second size on the first seed.
    /// <see cref="StudyOptions.Methods"/> keeps the named methods (null: all); the demo is GRPO and ISPO on one seed.</summary>
    public static IReadOnlyList<StudyCell> Cells(StudyOptions options)
    {
        bool Wanted(StudyMethod m) => options.Methods is null || options.Methods.Contains(m.Name);
        List<StudyMethod> Of(MethodRole role) => Methods.Where(m => m.Role == role && Wanted(m)).ToList();
        var cells = new List<StudyCell>();
        if (Of(MethodRole.Main) is { Count: > 0 } main)
            cells.AddRange(options.Seeds.Select(seed => new StudyCell("main", options.MainPreset, seed, main)));
        if (options.Ablations && options.Seeds.Count > 0 && Of(MethodRole.Ablation) is { Count: > 0 } ablations)
            cells.Add(new StudyCell("main", options.MainPreset, options.Seeds[0], ablations));
        if (options.SecondPreset is { } second && options.Seeds.Count > 0 && Of(MethodRole.SecondSize) is { Count: > 0 } pair)
            cells.Add(new StudyCell("second", second, options.Seeds[0], pair));
        if (options.Sizes is { } sizes) cells.RemoveAll(c => !sizes.Contains(c.Size));
        if (cells.Count == 0) throw new ArgumentException("the study has nothing to run: no method matches --methods and --sizes");
        return cells;
    }
}
