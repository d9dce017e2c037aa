// `ispo lora merge --model BASE --adapter DIR --out DIR`: a PEFT LoRA adapter (Ispo's or anyone's) folded into its base
// model (W + s·B·A, as PEFT's merge_and_unload), written as a full HF checkpoint that needs no adapter support.
using System.CommandLine;
using Ispo.Models;
using Ispo.Models.Lora;
using Ispo.Models.Pretrained;
using Ispo.Training.Runs;
using Ispo.Training.Trainer;

namespace Ispo.Cli.Commands;

public static class LoraCommand
{
    public static Command Create()
    {
        var command = new Command("lora", "Work with LoRA adapters in PEFT's layout.");
        command.Subcommands.Add(Merge());
        return command;
    }

    static Command Merge()
    {
        var model = new Option<string>("--model") { Description = "The base model's HF folder", Required = true };
        var adapter = new Option<string>("--adapter") { Description = "The adapter folder (adapter_config.json, adapter_model.safetensors)", Required = true };
        var output = new Option<string>("--out") { Description = "Folder to write the merged model to", Required = true };
        var command = new Command("merge", "Fold a LoRA adapter into its base model and write a full HF checkpoint.") { model, adapter, output };
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
            string baseDir = parse.GetValue(model)!, adapterDir = parse.GetValue(adapter)!, outDir = parse.GetValue(output)!;
            ModelOutput.Check(outDir, baseDir, adapterDir);   // before loading anything
            using LoadedModel policy = LoadedModel.LoadPretrained(baseDir, cpuKernels: CpuKernels.Off);
            PeftAdapter.MergeInto(policy.Model, adapterDir);
            (LoraOptions options, _) = PeftAdapter.ReadConfig(adapterDir);
            ModelOutput.Publish(outDir, dir => TrainerCheckpoint.SaveModel(dir, policy.Model, baseDir), baseDir, adapterDir);
            parse.InvocationConfiguration.Output.WriteLine(
                $"merged {adapterDir} (rank {options.Rank}, scale {options.Scale:G4}, {string.Join("/", options.TargetModules)}) into {baseDir}; wrote {outDir}");
            return 0;
        }));
        return command;
    }
}
