// A resumable RL checkpoint folder: the policy in HF layout (weights + the source model's config and tokenizer
// files, so `ispo eval --model` and `ispo sample` can load it), the optimizer state, the fp32 master weights under mixed
// precision, and the trainer's counters.
// A LoRA policy saves only its adapters, in PEFT's layout, naming the source model as their base (which
// LoadedModel.LoadPretrained follows, so the same commands load it).
using Ispo.Models;
using Ispo.Models.Checkpoints;
using Ispo.Models.Lora;
using Ispo.Training.Runs;
using TorchSharp.Modules;

namespace Ispo.Training.Trainer;

public static class TrainerCheckpoint
{
    public const string OptimizerFile = "optimizer.bin";
    static readonly string[] ModelSideFiles = ["config.json", "generation_config.json", "tokenizer.json", "tokenizer_config.json"];

    /// <summary>Writes into <paramref name="dir"/> (the checkpoint store makes the folder appear atomically).</summary>
    public static void Save(string dir, CausalLM policy, string? modelSourceDir, AdamW optimizer, MasterWeights? masters, TrainerState state)
    {
        SaveModel(dir, policy, modelSourceDir);
        masters?.Save(dir);
        AtomicFile.Write(Path.Combine(dir, OptimizerFile), stream =>
        {
            using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
            optimizer.save_state_dict(writer);
        });
        state.Save(dir);
    }

    /// <summary>The policy's weights plus the source model's config and tokenizer files.</summary>
    public static void SaveModel(string dir, CausalLM policy, string? modelSourceDir)
    {
        Directory.CreateDirectory(dir);
        if (policy.Lora is { } adapters)
        {
            PeftAdapter.Save(adapters, dir, modelSourceDir is null ? null : Path.GetFullPath(modelSourceDir));
            return;
        }
        ModuleCheckpoint.Save(policy, dir);
        foreach (string name in ModelSideFiles)
        {
            string source = modelSourceDir is null ? "" : Path.Combine(modelSourceDir, name);
            if (File.Exists(source)) AtomicFile.Copy(source, Path.Combine(dir, name));
        }
        if (!File.Exists(Path.Combine(dir, "config.json"))) AtomicFile.WriteAllText(Path.Combine(dir, "config.json"), policy.Config.ToJson());
    }

    public static TrainerState Load(string dir, CausalLM policy, AdamW optimizer, MasterWeights? masters)
    {
        TrainerState state = TrainerState.Load(dir);
        if (policy.Lora is { } adapters) PeftAdapter.LoadWeights(adapters, dir);
        else ModuleCheckpoint.LoadInto(policy, dir);
        masters?.Load(dir);
        using (var reader = new BinaryReader(File.OpenRead(Path.Combine(dir, OptimizerFile))))
            optimizer.load_state_dict(reader);
        return state;
    }
}
