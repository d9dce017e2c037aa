// `ispo study`: the comparison grid of StudyPlan, run cell by cell (a base-model size and seed). Per cell: the base
// model is pretrained (BaseModelStage), the preconditions are measured at RL step 0, every method of the cell trains
// from the same base weights on the same prompts, one step of each in turn (so step times see the same machine),
// and each finished policy is scored on the held-out tiers. Every stage leaves a file behind, so a killed study
// continues where it stopped and finished runs are never redone. Then summary.json and the report.
using System.Text.Json;
using Ispo.Models.Checkpoints;
using Ispo.Models.Pretrained;
using Ispo.Models.Runtime;
using Ispo.Training.Configuration;
using Ispo.Training.Progress;
using Ispo.Training.Runs;
using Ispo.Training.Trainer;

namespace Ispo.Training.Study;

public sealed record StudyResult(string OutDir, StudySummary Summary, string ReportPath, string SummaryPath);

public static class StudyRunner
{
    public const string PreconditionsFile = "preconditions.json", EvalFile = "study-eval.json", BaseEvalFile = "base-eval.json";
    public static readonly int[] EvalTiers = [.. TierScores.AllTiers];

    internal static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static StudyResult Run(StudyOptions options, IProgressReporter progress, CancellationToken cancel = default)
    {
        string outDir = Path.GetFullPath(options.OutDir);
        Directory.CreateDirectory(outDir);
        IReadOnlyList<StudyCell> cells = StudyPlan.Cells(options);
        foreach (StudyCell cell in cells)
        {
            cancel.ThrowIfCancellationRequested();
            RunCell(cell, options, outDir, progress, cancel);
        }
        StudySummary summary = StudySummary.Build(outDir, cells, options, RecipeFor(options, outDir, cells[0]));
        string summaryPath = Path.Combine(outDir, "summary.json");
        AtomicFile.WriteAllText(summaryPath, JsonSerializer.Serialize(summary, Json) + "\n");
        string reportPath = StudyReport.Write(outDir, cells, summary);
        return new StudyResult(outDir, summary, reportPath, summaryPath);
    }

    /// <summary>Only cell <paramref name="index"/> of the plan (a worker of `ispo study --jobs`): no summary, no report.</summary>
    public static void RunOneCell(StudyOptions options, int index, IProgressReporter progress, CancellationToken cancel = default)
    {
        IReadOnlyList<StudyCell> cells = StudyPlan.Cells(options);
        if (index < 0 || index >= cells.Count) throw new ArgumentException($"--cell {index} is not a cell of this study (it has {cells.Count})");
        string outDir = Path.GetFullPath(options.OutDir);
        Directory.CreateDirectory(outDir);
        RunCell(cells[index], options, outDir, progress, cancel);
    }

    /// <summary>The recipe of one method in one cell: the study recipe, the mode's and user's overrides, the cell's
    /// size and seed, the method's settings, and where its run lives.</summary>
    public static TrainConfig ConfigFor(StudyOptions options, string outDir, StudyCell cell, StudyMethod? method) =>
        LoadConfig(options, [
            $"model.preset={cell.Preset}", $"run.seed={cell.Seed}", $"run.out_dir={Path.Combine(outDir, cell.Folder, "runs")}",
            .. method?.Overrides ?? [], $"run.name={method?.Name ?? "base"}"]);

    static TrainConfig RecipeFor(StudyOptions options, string outDir, StudyCell cell) => ConfigFor(options, outDir, cell, null);

    static void RunCell(StudyCell cell, StudyOptions options, string outDir, IProgressReporter progress, CancellationToken cancel)
    {
        string cellDir = Path.Combine(outDir, cell.Folder);
        TrainConfig recipe = RecipeFor(options, outDir, cell);
        using var threads = TorchThreads.Use(recipe.Model.Threads);
        var cellProgress = new LabelledProgressReporter(progress, $"{cell.Size} seed {cell.Seed}");
        string baseDir = BaseModelStage.Ensure(recipe, Path.Combine(cellDir, "base"), cellProgress, cancel);
        MeasureBase(recipe, baseDir, cellDir, options, cellProgress);
        var pending = cell.Methods.Select(m => (Method: m, Config: ConfigFor(options, outDir, cell, m)))
            .Where(p => !Evaluated(RunDirectory.PathFor(p.Config), p.Config)).ToList();
        if (pending.Count == 0) return;
        TrainInLockstep(pending, baseDir, cellProgress, cancel);
        foreach (var (method, config) in pending)
        {
            cancel.ThrowIfCancellationRequested();
            string runDir = RunDirectory.PathFor(config);
            using LoadedModel policy = TrainingSetup.LoadModel(RunDirectory.Open(runDir).Checkpoints.Latest()!, config);
            cellProgress.Log($"{method.Name}: scoring the held-out tiers, {TrainingSetup.KernelsNote(policy.Model)}");
            TierScores scores = Score(policy, config, options, sampled: method.Role != MethodRole.Ablation);
            AtomicFile.WriteAllText(Path.Combine(runDir, EvalFile), JsonSerializer.Serialize(new EvaluatedRun(config.ToYaml(), scores), Json));
        }
    }

    /// <summary>The base model's step-0 precondition figures and held-out scores (the reference row).</summary>
    static void MeasureBase(TrainConfig recipe, string baseDir, string cellDir, StudyOptions options, IProgressReporter progress)
    {
        string preconditions = Path.Combine(cellDir, PreconditionsFile), baseEval = Path.Combine(cellDir, BaseEvalFile);
        if (File.Exists(preconditions) && File.Exists(baseEval)) return;
        using LoadedModel model = TrainingSetup.LoadModel(baseDir, recipe);
        if (!File.Exists(preconditions))
        {
            progress.Log("measuring the preconditions at RL step 0");
            PreconditionFigures figures = Preconditions.Measure(model.Model, TrainingSetup.Environment(model, recipe), recipe,
                options.PreconditionPromptsFor, TrainingSetup.PadTokenId(model));
            AtomicFile.WriteAllText(preconditions, JsonSerializer.Serialize(figures, Json));
            progress.Log("preconditions: " + string.Join("; ", figures.Checks.Select(c => $"{c.Key}: {(c.Value ? "yes" : "no")}")) +
                $" (top-10% entropy {figures.Top10Entropy:0.00}, zero-adv {figures.GrpoZeroAdvRate:0.00}, identical {figures.IdenticalGroupFrac:0.00}, " +
                $"tier {figures.HardestTier} pass@1 {figures.Pass1Hardest:0.00} pass@G {figures.Pass8Hardest:0.00})");
        }
        if (!File.Exists(baseEval))
        {
            progress.Log($"scoring the base model on the held-out tiers, {TrainingSetup.KernelsNote(model.Model)}");
            AtomicFile.WriteAllText(baseEval, JsonSerializer.Serialize(new EvaluatedRun(recipe.ToYaml(), Score(model, recipe, options)), Json));
        }
    }

    /// <summary>Greedy on every tier; with <paramref name="sampled"/>, K samples too (the ablations are compared greedy only,
    /// which keeps the grid within its budget).</summary>
    static TierScores Score(LoadedModel policy, TrainConfig config, StudyOptions options, bool sampled = true) =>
        TierScores.Measure(policy, config, EvalTiers, config.Eval.MaxProblems ?? 1000, sampled ? options.EvalSamples : 0, options.EvalTemperature,
            config.Rollout.StopStrings);

    /// <summary>A run is finished when its held-out scores are on disk for the same settings.</summary>
    static bool Evaluated(string runDir, TrainConfig config) => ReadEvaluation(Path.Combine(runDir, EvalFile))?.Config == config.ToYaml();

    public static EvaluatedRun? ReadEvaluation(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<EvaluatedRun>(File.ReadAllText(path), Json) : null;

    /// <summary>The cell's unfinished runs from the base checkpoint, one step of each in turn. A run folder of the same
    /// settings continues from its last checkpoint; one of other settings is replaced (the study owns its folder).</summary>
    static void TrainInLockstep(IReadOnlyList<(StudyMethod Method, TrainConfig Config)> pending, string baseDir, IProgressReporter progress,
        CancellationToken cancel)
    {
        var runs = new List<(LoadedModel Policy, RlRun.Session Session)>();
        try
        {
            foreach (var (method, config) in pending)
            {
                bool resume = Continues(config);
                LoadedModel policy = TrainingSetup.LoadModel(baseDir, config);
                try
                {
                    var run = new RlRun(config, policy.Model, baseDir, () => TrainingSetup.LoadModel(baseDir, config).Model,
                        TrainingSetup.Environment(policy, config), TrainingSetup.Problems(config, null), TrainingSetup.PadTokenId(policy),
                        new LabelledProgressReporter(progress, method.Name));
                    runs.Add((policy, run.Start(resume)));
                }
                catch
                {
                    policy.Dispose();
                    throw;
                }
            }
            progress.Log($"RL: {string.Join(", ", pending.Select(p => p.Method.Name))} in lockstep, {pending[0].Config.Run.Steps} steps, "
                + TrainingSetup.KernelsNote(runs[0].Policy.Model));
            while (!cancel.IsCancellationRequested && runs.Any(r => !r.Session.Done))
                foreach (var r in runs.Where(r => !r.Session.Done)) r.Session.Step();
            foreach (var r in runs) r.Session.Finish(cancel.IsCancellationRequested);
            cancel.ThrowIfCancellationRequested();
        }
        finally
        {
            foreach (var (policy, session) in runs)
            {
                session.Dispose();
                policy.Dispose();
            }
        }
    }

    static bool Continues(TrainConfig config)
    {
        string dir = RunDirectory.PathFor(config);
        if (!Directory.Exists(dir)) return false;
        if (RunDirectory.Open(dir).TryLoadConfig()?.ToYaml() == config.ToYaml()) return true;
        Directory.Delete(dir, recursive: true);
        return false;
    }

    static TrainConfig LoadConfig(StudyOptions options, IEnumerable<string> more)
    {
        IEnumerable<string> all = options.ModeOverrides.Concat(options.Overrides).Concat(more);
        return options.ConfigPath is { } path ? TrainConfig.Load(path, all) : ConfigBinder.Bind<TrainConfig>(BuiltInRecipe(), "configs/study.yaml", all);
    }

    /// <summary>configs/study.yaml as built into the assembly, so `ispo study` and `ispo demo` work from any folder.</summary>
    public static string BuiltInRecipe()
    {
        using Stream stream = typeof(StudyRunner).Assembly.GetManifestResourceStream("Ispo.Training.study.yaml")
            ?? throw new InvalidOperationException("the built-in study recipe is missing from the assembly");
        return new StreamReader(stream).ReadToEnd();
    }
}

/// <summary>A scored policy and the settings it was trained with (a resumed study redoes a run whose settings changed).</summary>
public sealed record EvaluatedRun(string Config, TierScores Scores);
