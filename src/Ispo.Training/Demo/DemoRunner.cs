// `ispo demo`: a complete small RLVR experiment on a CPU. A tiny random character-level model is warm-started by SFT
// on the synthetic arithmetic task, then trained with GRPO and with ISPO from that same checkpoint and the same
// seeds; the SFT model and both results are evaluated on held-out problems of each tier; a report with plots,
// summary.json and a comparison table come out.
using System.Text.Json;
using System.Text.Json.Serialization;
using Ispo.MathVerify.Rewards;
using Ispo.Models.Pretrained;
using Ispo.Models.Runtime;
using Ispo.Models.Checkpoints;
using Ispo.Training.Configuration;
using Ispo.Training.Progress;
using Ispo.Training.Reports;
using Ispo.Training.Rollouts;
using Ispo.Training.Runs;
using Ispo.Training.Sft;
using Ispo.Training.Tasks;
using Ispo.Training.Trainer;

namespace Ispo.Training.Demo;

public sealed record DemoResult(string OutDir, IReadOnlyDictionary<string, DemoMethodSummary> Methods, string ReportPath, string SummaryPath);

public static class DemoRunner
{
    /// <summary>The RL methods compared, as overrides of the demo recipe.</summary>
    public static readonly IReadOnlyList<(string Name, string[] Overrides)> Methods =
    [
        ("grpo", ["algorithm.ispo.enabled=false"]),
        ("ispo", ["algorithm.ispo.enabled=true"]),
    ];

    public static DemoResult Run(DemoOptions options, IProgressReporter progress, CancellationToken cancel = default)
    {
        string outDir = Path.GetFullPath(options.OutDir);
        Directory.CreateDirectory(outDir);
        TrainConfig config = LoadConfig(options, outDir);
        using var threads = TorchThreads.Use(config.Model.Threads);
        var summary = new Dictionary<string, DemoMethodSummary>();

        string initDir = Path.Combine(outDir, "model-init");
        progress.Log($"initialising a '{config.Model.Preset}' model in {initDir}");
        ModelInit.Create(ModelInit.Preset(config.Model.Preset ?? "tiny"), initDir, config.Run.Seed);

        string sftDir = Path.Combine(outDir, "sft");
        using (PolicyModel sft = PolicyModel.LoadPretrained(initDir))
        {
            progress.Log($"SFT warm start: {config.Sft.Steps} steps of {config.Sft.BatchSize} worked solutions");
            RunSft(sft, config, progress, cancel);
            TrainerCheckpoint.SaveModel(sftDir, sft.Model, initDir);
            summary["sft"] = new DemoMethodSummary(Evaluate(sft, config));
            progress.Log("sft accuracy by tier: " + Format(summary["sft"].AccuracyByTier));
        }

        var runDirs = new List<string>();
        foreach ((string method, string[] overrides) in Methods)
        {
            cancel.ThrowIfCancellationRequested();
            TrainConfig methodConfig = LoadConfig(options, outDir, [.. overrides, $"run.name={method}"]);
            using PolicyModel policy = PolicyModel.LoadPretrained(sftDir);
            progress.Log($"{method}: {methodConfig.Run.Steps} RL steps from the SFT checkpoint");
            var run = new RlRun(methodConfig, policy.Model, sftDir, () => PolicyModel.LoadPretrained(sftDir).Model,
                Environment(policy, methodConfig), TrainingSet(methodConfig), PadTokenId(policy), progress);
            RlRunResult result = run.Execute(cancel: cancel);
            runDirs.Add(result.RunDir);
            IReadOnlyList<MetricsRow> rows = RunDirectory.Open(result.RunDir).ReadMetrics();
            summary[method] = new DemoMethodSummary(Evaluate(policy, methodConfig),
                ZeroAdvRate: rows.Average(r => r.Values.GetValueOrDefault("frac_reward_zero_std")),
                StepTimeS: rows.Average(r => r.Values.GetValueOrDefault("step_time")),
                Steps: rows.Count);
            progress.Log($"{method} accuracy by tier: " + Format(summary[method].AccuracyByTier));
        }

        string reportPath = ReportWriter.Write(runDirs, Path.Combine(outDir, "report"));
        string summaryPath = Path.Combine(outDir, "summary.json");
        AtomicFile.WriteAllText(summaryPath, SummaryJson(summary));
        return new DemoResult(outDir, summary, reportPath, summaryPath);
    }

    static TaskFormat Format(PolicyModel policy, TrainConfig config) => TaskFormat.For(policy, config.Data.Template, config.Data.ChatFormat);

    static IRolloutEnvironment Environment(PolicyModel policy, TrainConfig config) => Format(policy, config).Environment(new MathReward());

    static int PadTokenId(PolicyModel policy) => policy.Config.PadTokenId ?? policy.Tokenizer.PadId ?? policy.EosTokenIds[0];

    static TrainConfig LoadConfig(DemoOptions options, string outDir, params string[] more) =>
        options.ConfigPath is { } path
            ? TrainConfig.Load(path, Resolved(options, outDir).Concat(more))
            : ConfigBinder.Bind<TrainConfig>(BuiltInRecipe(), "configs/demo.yaml", Resolved(options, outDir).Concat(more));

    /// <summary>configs/demo.yaml as built into the assembly, so `ispo demo` works from any folder.</summary>
    public static string BuiltInRecipe()
    {
        using Stream stream = typeof(DemoRunner).Assembly.GetManifestResourceStream("Ispo.Training.demo.yaml")
            ?? throw new InvalidOperationException("the built-in demo recipe is missing from the assembly");
        return new StreamReader(stream).ReadToEnd();
    }

    /// <summary>Overrides on top of the demo recipe: mode, seed, output folder, then the user's.</summary>
    static IEnumerable<string> Resolved(DemoOptions options, string outDir) =>
        options.ModeOverrides
            .Append($"run.seed={options.Seed}")
            .Append($"run.out_dir={Path.Combine(outDir, "runs")}")
            .Concat(options.Overrides);

    static void RunSft(PolicyModel model, TrainConfig config, IProgressReporter progress, CancellationToken cancel)
    {
        TaskFormat format = Format(model, config);
        var examples = Enumerable.Range(0, config.Sft.Steps * config.Sft.BatchSize)
            .Select(i => SyntheticArithmetic.SampleMixed(config.Data.Tiers, config.Run.Seed, i))
            .Select(p => new SftExample(format.EncodePrompt(p.Prompt), format.EncodeTarget(p.Solution)))
            .ToList();
        var sftOptions = new SftOptions
        {
            Steps = config.Sft.Steps, BatchSize = config.Sft.BatchSize, Lr = config.Sft.Lr, WarmupSteps = config.Sft.WarmupSteps,
            Schedule = config.Sft.Schedule == LrSchedule.Cosine ? LrScheduleKind.Cosine : LrScheduleKind.Constant,
            WeightDecay = config.Sft.WeightDecay, GradClip = config.Sft.GradClip, Seed = config.Run.Seed,
        };
        var clock = System.Diagnostics.Stopwatch.StartNew();
        SftTrainer.Train(model.Model, examples, sftOptions, s =>
        {
            if ((s.Step + 1) % config.Sft.LogEvery == 0 || s.Step + 1 == config.Sft.Steps)
                progress.Step(new ProgressSnapshot(s.Step + 1, config.Sft.Steps, s.Step + 1, clock.Elapsed,
                    Extra: new Dictionary<string, double> { ["loss"] = s.Loss, ["token_acc"] = s.TokenAccuracy }));
        }, cancel);
    }

    static double[] Evaluate(PolicyModel model, TrainConfig config) =>
        TierEvaluation.AccuracyByTier(model.Model, Environment(model, config), config.Eval.MaxProblems ?? 100,
            config.Eval.MaxNewTokens ?? config.Rollout.MaxNewTokens, seed: 0);

    /// <summary>Training problems: a fixed pool drawn from the train split of the configured tiers.</summary>
    public static IReadOnlyList<TrainingProblem> TrainingSet(TrainConfig config, int count = 4096) =>
        Enumerable.Range(0, count)
            .Select(i => SyntheticArithmetic.SampleMixed(config.Data.Tiers, config.Run.Seed + 1, i))
            .Select((p, i) => new TrainingProblem($"train-{i}", p.Prompt, p.AnswerText, p.Tier))
            .ToList();

    static string Format(double[] accuracy) => string.Join(" ", accuracy.Select(a => a.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)));

    static string SummaryJson(Dictionary<string, DemoMethodSummary> methods)
    {
        var options = new JsonSerializerOptions
        {
            WriteIndented = true,
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        };
        return JsonSerializer.Serialize(new { methods }, options) + "\n";
    }
}
