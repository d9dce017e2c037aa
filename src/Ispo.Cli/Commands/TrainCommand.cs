// `ispo train --config FILE [--set a.b=c …] [--resume]`: one RL run of any recipe (GRPO, Dr. GRPO, DAPO, ISPO and its
// ablations) on the configured model and data. Ctrl-C saves a checkpoint and exits; --resume continues from it.
using System.CommandLine;
using Ispo.Models.Pretrained;
using Ispo.Models.Runtime;
using Ispo.Training.Configuration;
using Ispo.Training.Progress;
using Ispo.Training.Runs;
using Ispo.Training.Rollouts;
using Ispo.Training.Trainer;

namespace Ispo.Cli.Commands;

public static class TrainCommand
{
    public static Command Create()
    {
        var (config, set) = ConfigCommand.RecipeOptions();
        var resume = new Option<bool>("--resume") { Description = "Continue the run in run.out_dir/run.name from its latest checkpoint." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Local data directory (default ../shared/data when present, else the Hub)." };
        var command = new Command("train", "Train a policy with an RL recipe (configs/*.yaml).") { config, set, resume, dataDir };
        command.SetAction((parse, cancel) =>
        {
            TrainConfig? recipe = ConfigCommand.LoadRecipe(parse, config, set);
            if (recipe is null) return Task.FromResult(2);
            TextWriter output = parse.InvocationConfiguration.Output;
            using var threads = TorchThreads.Use(recipe.Model.Threads);
            _ = TrainingSetup.Device(recipe); // refuses a CUDA device this build or machine lacks, before anything is written
            RunDirectory run = RunDirectory.Start(recipe, parse.GetValue(resume));
            string? data = parse.GetValue(dataDir) ?? TrainingSetup.DefaultDataDir();
            string modelDir = TrainingSetup.ResolveModelDir(recipe, run.Root, data, cancel);
            string baseDir = recipe.Model.BasePath ?? modelDir;
            using LoadedModel policy = TrainingSetup.LoadModel(modelDir, recipe);
            TrainingSetup.PreparePolicy(policy.Model, recipe);
            IRolloutEnvironment env = TrainingSetup.Environment(policy, recipe);
            IReadOnlyList<TrainingProblem> problems = TrainingSetup.Problems(recipe, data);
            int longestPrompt = TrainingSetup.CheckPromptsFit(recipe, problems, env, policy.Config.MaxPositionEmbeddings);
            if (!PlanCommand.BeforeTraining(recipe, policy.Config, longestPrompt, output, parse.InvocationConfiguration.Error))
                return Task.FromResult(PlanCommand.DoesNotFit);
            using IProgressReporter progress = ProgressReporters.Create($"ispo train {recipe.Run.Name}", output);
            var rl = new RlRun(recipe, policy.Model, modelDir, TrainingSetup.BaseModel(recipe, policy.Model,
                    () => TrainingSetup.LoadModel(baseDir, recipe).Model),
                env, problems, TrainingSetup.PadTokenId(policy), progress,
                recipe.Eval.Every > 0 ? PeriodicEvaluation.Create(recipe, policy, data) : null);
            RlRunResult result = rl.Execute(parse.GetValue(resume), cancel, run);
            output.WriteLine(result.Cancelled
                ? $"interrupted at step {result.Steps}; checkpoint {result.FinalCheckpoint}; continue with --resume"
                : $"done: {result.Steps} steps in {result.RunDir}; final checkpoint {result.FinalCheckpoint}");
            return Task.FromResult(result.Cancelled ? 130 : 0);
        });
        return command;
    }
}
