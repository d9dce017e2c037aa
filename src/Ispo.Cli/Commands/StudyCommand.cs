// `ispo study`: the multi-seed comparison of ISPO, its baselines and ablations from pretrained base models, with the
// paper's diagnostics and a report (src/Ispo.Training/Study).
using System.CommandLine;
using System.Globalization;
using Ispo.Training.Progress;
using Ispo.Training.Study;
using Spectre.Console;

namespace Ispo.Cli.Commands;

public static class StudyCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "A smoke run of the whole grid (≤ 10 minutes on 2 cores)." };
        var outDir = new Option<string>("--out") { Description = "Output folder (a killed study continues there).", DefaultValueFactory = _ => "study-out" };
        var seeds = new Option<int[]>("--seeds") { Description = "Seeds of the main comparison (ablations use the first).", DefaultValueFactory = _ => [0, 1, 2], AllowMultipleArgumentsPerToken = true };
        var methods = new Option<string[]>("--methods") { Description = "Only these methods (e.g. grpo ispo).", AllowMultipleArgumentsPerToken = true };
        var noAblations = new Option<bool>("--no-ablations") { Description = "Skip the ablations." };
        var second = new Option<string>("--second-preset") { Description = "Preset of the second base-model size, or 'none'.", DefaultValueFactory = _ => "medium" };
        var sizes = new Option<string[]>("--sizes") { Description = "Only these sizes' cells (main, second): parts of one study can run in separate processes.", AllowMultipleArgumentsPerToken = true };
        var jobs = new Option<int>("--jobs") { Description = "Cells (a size and seed) run at once, each in its own process; every cell computes what it computes alone.", DefaultValueFactory = _ => 1 };
        var cell = new Option<int?>("--cell") { Description = "Run only this cell of the plan (a worker of --jobs).", Hidden = true };
        var (config, set) = ConfigCommand.RecipeOptions();
        config.Description = "Recipe to use instead of the built-in configs/study.yaml.";
        var command = new Command("study", "Compare ISPO with GRPO, Dr. GRPO, DAPO and the ablations over seeds from pretrained base models; writes summary.json and a report.")
        {
            quick, outDir, seeds, methods, noAblations, second, sizes, jobs, cell, config, set,
        };
        command.SetAction((parse, cancel) =>
        {
            string secondPreset = parse.GetValue(second)!;
            var options = new StudyOptions
            {
                Quick = parse.GetValue(quick), OutDir = parse.GetValue(outDir)!, Seeds = parse.GetValue(seeds) ?? [0, 1, 2],
                Methods = parse.GetValue(methods) is { Length: > 0 } m ? m : null, Ablations = !parse.GetValue(noAblations),
                SecondPreset = secondPreset == "none" ? null : secondPreset, Sizes = parse.GetValue(sizes) is { Length: > 0 } z ? z : null, ConfigPath = parse.GetValue(config), Overrides = parse.GetValue(set) ?? [],
            };
            TextWriter output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(cell) is { } index)
            {
                using IProgressReporter progress = new PlainProgressReporter(output);
                StudyRunner.RunOneCell(options, index, progress, cancel);
                return Task.FromResult(0);
            }
            int workers = parse.GetValue(jobs);
            if (workers < 1) throw new ArgumentException($"--jobs must be at least 1 (got {workers})");
            if (workers > 1) StudyWorkers.Run(options, workers, [.. parse.Tokens.Select(t => t.Value)], output, cancel);
            return Task.FromResult(Run(options, output, "ispo study", cancel));
        });
        return command;
    }

    internal static int Run(StudyOptions options, TextWriter output, string title, CancellationToken cancel)
    {
        StudyResult result;
        using (IProgressReporter progress = ProgressReporters.Create(title, output))
            result = StudyRunner.Run(options, progress, cancel);
        PrintTable(output, result.Summary);
        output.WriteLine($"report: {result.ReportPath}");
        output.WriteLine($"summary: {result.SummaryPath}");
        return 0;
    }

    static void PrintTable(TextWriter output, StudySummary summary)
    {
        var table = new Table().Title("held-out greedy accuracy by tier, mean over seeds ± 95% half-width");
        table.AddColumn("method");
        foreach (int tier in summary.Protocol.EvalTiers) table.AddColumn(new TableColumn($"tier {tier}").RightAligned());
        table.AddColumn(new TableColumn("zero-adv").RightAligned());
        table.AddColumn(new TableColumn("s/step").RightAligned());
        foreach (var (name, m) in summary.Methods)
            table.AddRow([name, .. m.AccuracyByTier.Select((a, i) => $"{F(a)}±{F((m.Ci95ByTier[i][1] - m.Ci95ByTier[i][0]) / 2)}"),
                m.ZeroAdvRate is { } z ? F(z) : "", m.StepTimeS is { } s ? F(s) : ""]);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        console.Profile.Width = Math.Max(console.Profile.Width, 120); // a log or pipe gets 80 columns, too few for five tiers
        console.Write(table);
    }

    static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
}
