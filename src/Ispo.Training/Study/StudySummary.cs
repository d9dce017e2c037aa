// summary.json of a study: every figure of the report, computed from what the cells left on disk. Accuracies are
// means over seeds with 95% intervals (Intervals), and each method's difference to GRPO is paired (same problems,
// seeds and base weights). Fractions are in 0..1, entropies in nats, times in seconds.
using Ispo.Algorithms;
using Ispo.Training.Configuration;
using Ispo.Training.Reports;
using Ispo.Training.Runs;

namespace Ispo.Training.Study;

/// <param name="Preconditions">Mean over the main size's seeds, at RL step 0 on the training tiers (null when only the
/// second size was run, as `--sizes second` does).</param>
public sealed record StudySummary(
    StudyProtocol Protocol,
    PreconditionSummary? Preconditions,
    PreconditionSummary? PreconditionsSecondSize,
    IReadOnlyDictionary<string, MethodSummary> Methods,
    IReadOnlyDictionary<string, MethodSummary> SecondSize)
{
    public static StudySummary Build(string outDir, IReadOnlyList<StudyCell> cells, StudyOptions options, TrainConfig recipe)
    {
        var protocol = new StudyProtocol(options.Seeds.ToArray(), options.MainPreset, options.SecondPreset, recipe.Run.Steps,
            recipe.Data.Tiers.ToArray(), StudyRunner.EvalTiers, recipe.Eval.MaxProblems ?? 1000, options.EvalSamples, options.EvalTemperature,
            options.PreconditionPromptsFor, ConfigNaming.EnumName(StudyPlan.IspoOptions.AnswerSpan), ConfigNaming.EnumName(StudyPlan.IspoOptions.NoAnswer),
            StudyPlan.Methods.Where(m => cells.Any(c => c.Methods.Contains(m))).ToDictionary(m => $"{m.Name}{(m.Role == MethodRole.SecondSize ? " (second size)" : "")}", m => m.Description));
        return new StudySummary(protocol,
            PreconditionSummary.From(outDir, cells.Where(c => c.Size == "main").ToList()),
            PreconditionSummary.From(outDir, cells.Where(c => c.Size == "second").ToList()),
            Summarize(outDir, cells.Where(c => c.Size == "main").ToList()),
            Summarize(outDir, cells.Where(c => c.Size == "second").ToList()));
    }

    static IReadOnlyDictionary<string, MethodSummary> Summarize(string outDir, IReadOnlyList<StudyCell> cells)
    {
        var result = new Dictionary<string, MethodSummary>();
        if (cells.Count == 0) return result;
        var names = cells.SelectMany(c => c.Methods.Select(m => m.Name)).Distinct().ToList();
        var runs = names.ToDictionary(n => n, n => cells.Where(c => c.Methods.Any(m => m.Name == n))
            .Select(c => new CellRun(c.Seed, Path.Combine(outDir, c.Folder, "runs", n))).ToList());
        var baseRuns = cells.DistinctBy(c => c.Folder).Select(c => new CellRun(c.Seed, Path.Combine(outDir, c.Folder))).ToList();
        result["base"] = MethodSummary.From(baseRuns.Select(r => (r.Seed, Scores(Path.Combine(r.Dir, StudyRunner.BaseEvalFile)))).ToList(), [], null);
        foreach (string name in names)
        {
            var scored = runs[name].Select(r => (r.Seed, Scores(Path.Combine(r.Dir, StudyRunner.EvalFile)))).ToList();
            var grpo = name == "grpo" || !runs.ContainsKey("grpo") ? null
                : runs["grpo"].Select(r => (r.Seed, Scores(Path.Combine(r.Dir, StudyRunner.EvalFile)))).ToList();
            result[name] = MethodSummary.From(scored, runs[name].Select(r => r.Dir).ToList(), grpo);
        }
        return result;
    }

    static TierScores Scores(string path) =>
        StudyRunner.ReadEvaluation(path)?.Scores ?? throw new InvalidOperationException($"{path}: missing; the study has not scored this run");

    sealed record CellRun(int Seed, string Dir);
}

public sealed record StudyProtocol(int[] Seeds, string MainPreset, string? SecondPreset, int RlSteps, int[] TrainingTiers, int[] EvalTiers,
    int ProblemsPerTier, int EvalSamples, double EvalTemperature, int PreconditionPromptsPerTier, string AnswerSpan, string NoAnswer,
    IReadOnlyDictionary<string, string> Methods);

public sealed record PreconditionSummary(double Top10Entropy, double MeanEntropy, double GrpoZeroAdvRate, double IdenticalGroupFrac,
    int HardestTier, double Pass1Hardest, double Pass8Hardest, IReadOnlyDictionary<string, bool> Checks, int[] Seeds, IReadOnlyList<PreconditionFigures> BySeed)
{
    public static PreconditionSummary? From(string outDir, IReadOnlyList<StudyCell> cells)
    {
        var measured = cells.DistinctBy(c => c.Folder).Select(c => (c.Seed, Path: Path.Combine(outDir, c.Folder, StudyRunner.PreconditionsFile)))
            .Where(c => File.Exists(c.Path)).ToList();
        var figures = measured.Select(c => System.Text.Json.JsonSerializer.Deserialize<PreconditionFigures>(File.ReadAllText(c.Path), StudyRunner.Json)!).ToList();
        if (figures.Count == 0) return null;
        var mean = new PreconditionFigures(figures.Average(f => f.Top10Entropy), figures.Average(f => f.MeanEntropy),
            figures.Average(f => f.GrpoZeroAdvRate), figures.Average(f => f.IdenticalGroupFrac), figures[0].HardestTier,
            figures.Average(f => f.Pass1Hardest), figures.Average(f => f.Pass8Hardest), figures[0].Tiers, [], [], figures[0].PromptsPerTier);
        return new PreconditionSummary(mean.Top10Entropy, mean.MeanEntropy, mean.GrpoZeroAdvRate, mean.IdenticalGroupFrac, mean.HardestTier,
            mean.Pass1Hardest, mean.Pass8Hardest, mean.Checks, measured.Select(c => c.Seed).ToArray(), figures);
    }
}

/// <param name="AccuracyByTier">Greedy accuracy per evaluation tier, mean over seeds.</param>
/// <param name="DiffVsGrpoByTier">This method's greedy accuracy minus GRPO's (paired), with its interval.</param>
/// <param name="CriticalSets">|𝒜|, |C_Δ|, |C| as fractions of tokens at 0%, 10%, 50% and 100% of training (first seed).</param>
/// <param name="Avg8ByTier">avg@K per tier (null when the method was scored greedy only).</param>
public sealed record MethodSummary(int[] Seeds, double[] AccuracyByTier, double[][] Ci95ByTier, double[]? Avg8ByTier, double[][]? Avg8Ci95ByTier,
    double[]? Pass8ByTier, double[]? DiffVsGrpoByTier, double[][]? DiffVsGrpoCi95ByTier, double? ZeroAdvRate, double? UsefulRolloutFrac,
    double? StepTimeS, IReadOnlyDictionary<string, double[]>? CriticalSets)
{
    public static MethodSummary From(IReadOnlyList<(int Seed, TierScores Scores)> scored, IReadOnlyList<string> runDirs,
        IReadOnlyList<(int Seed, TierScores Scores)>? grpo)
    {
        int tiers = scored[0].Scores.Tiers.Length;
        Interval[] greedy = Enumerable.Range(0, tiers).Select(t => Intervals.Of(scored.Select(s => (IReadOnlyList<double>)s.Scores.Greedy[t]).ToList())).ToArray();
        bool sampled = scored.All(s => s.Scores.Samples > 0);
        Interval[]? avg = !sampled ? null
            : Enumerable.Range(0, tiers).Select(t => Intervals.Of(scored.Select(s => (IReadOnlyList<double>)s.Scores.AvgPerProblem[t]).ToList())).ToArray();
        double[]? pass = !sampled ? null : Enumerable.Range(0, tiers).Select(t => scored.Average(s => s.Scores.PassAtK[t])).ToArray();
        Interval[]? diff = null;
        if (grpo is not null)
        {
            var shared = scored.Where(s => grpo.Any(g => g.Seed == s.Seed)).ToList();
            if (shared.Count > 0)
                diff = Enumerable.Range(0, tiers).Select(t => Intervals.OfDifference(
                    shared.Select(s => (IReadOnlyList<double>)s.Scores.Greedy[t]).ToList(),
                    shared.Select(s => (IReadOnlyList<double>)grpo.First(g => g.Seed == s.Seed).Scores.Greedy[t]).ToList())).ToArray();
        }
        var metrics = runDirs.Select(d => RunDirectory.Open(d).ReadMetrics()).ToList();
        double? MeanOf(string name) => metrics.Count == 0 || metrics.All(m => m.Count == 0) ? null
            : metrics.Where(m => m.Count > 0).Average(m => m.Average(r => r.Values.GetValueOrDefault(name)));
        return new MethodSummary(scored.Select(s => s.Seed).ToArray(), greedy.Select(i => i.Mean).ToArray(), greedy.Select(Pair).ToArray(),
            avg?.Select(i => i.Mean).ToArray(), avg?.Select(Pair).ToArray(), pass,
            diff?.Select(i => i.Mean).ToArray(), diff?.Select(Pair).ToArray(),
            MeanOf(MetricNames.FracRewardZeroStd), MeanOf("ispo/useful_rollout_frac"), MeanOf(MetricNames.StepTime),
            metrics.Count > 0 ? CriticalSetsOf(metrics[0]) : null);
    }

    static double[] Pair(Interval i) => [i.Low, i.High];

    /// <summary>Table 5 of the paper: the sets' sizes at the first step, and at 10%, 50% and 100% of training.</summary>
    static IReadOnlyDictionary<string, double[]>? CriticalSetsOf(IReadOnlyList<MetricsRow> rows)
    {
        if (rows.Count == 0 || !rows[0].Values.ContainsKey(MetricNames.CriticalFrac)) return null;
        MetricsRow[] at = [rows[0], .. new[] { 0.1, 0.5, 1.0 }.Select(f => rows[Math.Clamp((int)Math.Ceiling(f * rows.Count) - 1, 0, rows.Count - 1)])];
        var sets = new Dictionary<string, double[]> { ["steps"] = at.Select(r => (double)r.Step).ToArray() };
        foreach (var (key, metric) in new[] { ("entropy_set_frac", MetricNames.EntropySetFrac), ("drift_set_frac", MetricNames.DriftSetFrac),
                     ("critical_frac", MetricNames.CriticalFrac) })
            if (rows[0].Values.ContainsKey(metric)) sets[key] = at.Select(r => r.Values.GetValueOrDefault(metric)).ToArray(); // a set not measured is absent
        return sets;
    }
}
