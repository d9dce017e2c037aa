// `ispo demo`: the built-in experiment (tiny model, SFT warm start, GRPO vs ISPO, held-out accuracy by tier).
using System.CommandLine;
using System.Globalization;
using Ispo.Training.Demo;
using Ispo.Training.Progress;
using Spectre.Console;

namespace Ispo.Cli.Commands;

public static class DemoCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "A shorter run (≤ 3 minutes on 2 cores) for a first look." };
        var outDir = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "demo-out" };
        var seed = new Option<int>("--seed") { Description = "Seed for the model, data and sampling.", DefaultValueFactory = _ => 0 };
        var (config, set) = ConfigCommand.RecipeOptions();
        config.Description = "Recipe to use instead of the built-in configs/demo.yaml.";
        var command = new Command("demo", "Train a tiny model with SFT, then GRPO and ISPO from the same checkpoint, and compare them.")
        {
            quick, outDir, seed, config, set,
        };
        command.SetAction((parse, cancel) =>
        {
            var options = new DemoOptions
            {
                Quick = parse.GetValue(quick), OutDir = parse.GetValue(outDir)!, Seed = parse.GetValue(seed),
                ConfigPath = parse.GetValue(config), Overrides = parse.GetValue(set) ?? [],
            };
            TextWriter output = parse.InvocationConfiguration.Output;
            DemoResult result;
            using (IProgressReporter progress = ProgressReporters.Create("ispo demo", output))
                result = DemoRunner.Run(options, progress, cancel);
            PrintTable(output, result);
            output.WriteLine($"report: {result.ReportPath}");
            output.WriteLine($"summary: {result.SummaryPath}");
            return Task.FromResult(0);
        });
        return command;
    }

    static void PrintTable(TextWriter output, DemoResult result)
    {
        var table = new Table().Title("held-out accuracy by tier (greedy)");
        table.AddColumn("method");
        for (int tier = 1; tier <= 5; tier++) table.AddColumn(new TableColumn($"tier {tier}").RightAligned());
        table.AddColumn(new TableColumn("zero-adv").RightAligned());
        table.AddColumn(new TableColumn("s/step").RightAligned());
        foreach (var (name, m) in result.Methods)
            table.AddRow([name, .. m.AccuracyByTier.Select(a => a.ToString("0.00", CultureInfo.InvariantCulture)),
                m.ZeroAdvRate?.ToString("0.00", CultureInfo.InvariantCulture) ?? "", m.StepTimeS?.ToString("0.00", CultureInfo.InvariantCulture) ?? ""]);
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        console.Write(table);
    }
}
