// `ispo sft --config FILE [--set …] [--out DIR]`: supervised warm start (loss on the solution tokens only) on the
// recipe's task and model; writes the fine-tuned model in HF layout for `ispo train --set model.path=DIR`, atomically
// (ModelOutput: a model folder at --out is replaced, any other non-empty folder refused).
using System.CommandLine;
using Ispo.Models.Pretrained;
using Ispo.Models.Runtime;
using Ispo.Training.Configuration;
using Ispo.Training.Progress;
using Ispo.Training.Runs;
using Ispo.Training.Sft;
using Ispo.Training.Trainer;

namespace Ispo.Cli.Commands;

public static class SftCommand
{
    public static Command Create()
    {
        var (config, set) = ConfigCommand.RecipeOptions();
        var outDir = new Option<string?>("--out") { Description = "Where to write the model (default run.out_dir/run.name/sft-model); a model folder there is replaced." };
        var dataDir = new Option<string?>("--data-dir") { Description = "Local data directory (default ../shared/data when present)." };
        var command = new Command("sft", "Supervised fine-tuning on worked solutions (the recipe's sft.* settings).") { config, set, outDir, dataDir };
        command.SetAction((parse, cancel) =>
        {
            TrainConfig? recipe = ConfigCommand.LoadRecipe(parse, config, set);
            if (recipe is null) return Task.FromResult(2);
            if (recipe.Sft.Steps == 0) throw new ArgumentException("sft.steps is 0: set it in the recipe or with --set sft.steps=N");
            using var threads = TorchThreads.Use(recipe.Model.Threads);
            _ = TrainingSetup.Device(recipe); // refuses a CUDA device this build or machine lacks, before anything is written
            if (recipe.Model.MixedPrecision)
                throw new ArgumentException("model.mixed_precision applies to RL training (ispo train); ispo sft trains in model.dtype without fp32 masters: remove it for sft");
            string runDir = Path.Combine(recipe.Run.OutDir, recipe.Run.Name);
            string? data = parse.GetValue(dataDir) ?? TrainingSetup.DefaultDataDir();
            string modelDir = TrainingSetup.ResolveModelDir(recipe, runDir, data, cancel);
            string target = parse.GetValue(outDir) ?? Path.Combine(runDir, "sft-model");
            ModelOutput.Check(target, modelDir);                 // refuse a bad --out before training, not after
            using LoadedModel policy = TrainingSetup.LoadModel(modelDir, recipe);
            TrainingSetup.PreparePolicy(policy.Model, recipe); // with model.lora, the output is an adapter over modelDir
            using (IProgressReporter progress = ProgressReporters.Create("ispo sft", parse.InvocationConfiguration.Output))
                SftRun.Execute(policy, recipe, data, progress, cancel);
            ModelOutput.Publish(target, dir => TrainerCheckpoint.SaveModel(dir, policy.Model, modelDir), modelDir);
            parse.InvocationConfiguration.Output.WriteLine($"wrote the fine-tuned model to {target}");
            return Task.FromResult(0);
        });
        return command;
    }
}
