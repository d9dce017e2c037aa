// `ispo demo`: the built-in experiment, the study's GRPO-vs-ISPO pair on one seed (a base model pretrained on the
// synthetic task, both methods from its weights, held-out accuracy by tier with 95% intervals, a report).
using System.CommandLine;
using Ispo.Training.Study;

namespace Ispo.Cli.Commands;

public static class DemoCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "A shorter run (about 2 minutes on 2 cores) for a first look." };
        var outDir = new Option<string>("--out") { Description = "Output folder (run again, it continues there).", DefaultValueFactory = _ => "demo-out" };
        var seed = new Option<int>("--seed") { Description = "Seed for the base model, data and sampling.", DefaultValueFactory = _ => 0 };
        var (config, set) = ConfigCommand.RecipeOptions();
        config.Description = "Recipe to use instead of the built-in configs/study.yaml.";
        var command = new Command("demo", "Pretrain a tiny base model, train GRPO and ISPO from it, and compare them on held-out problems (one seed of `ispo study`).")
        {
            quick, outDir, seed, config, set,
        };
        command.SetAction((parse, cancel) =>
        {
            StudyOptions options = Options(parse.GetValue(outDir)!, parse.GetValue(seed), parse.GetValue(quick));
            options = options with { ConfigPath = parse.GetValue(config), Overrides = [.. options.Overrides, .. parse.GetValue(set) ?? []] };
            return Task.FromResult(StudyCommand.Run(options, parse.InvocationConfiguration.Output, "ispo demo", cancel));
        });
        return command;
    }

    /// <summary>The demo's study: GRPO and ISPO on one seed of the main size, no ablations, no second size, and, to fit
    /// in 10 minutes, greedy scoring on 500 held-out problems per tier instead of 1,000 with 8 samples each.</summary>
    public static StudyOptions Options(string outDir, int seed, bool quick) => new()
    {
        OutDir = outDir, Seeds = [seed], Methods = ["grpo", "ispo"], Ablations = false, SecondPreset = null, Quick = quick,
        EvalSamples = 0, Overrides = quick ? [] : ["eval.max_problems=500"],
    };
}
