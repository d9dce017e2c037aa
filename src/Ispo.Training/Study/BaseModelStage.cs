// The study's base model: a fresh model of the recipe's preset pretrained on the task's corpus (sft.* settings,
// sft.corpus), once per seed and size, then reused: a finished stage whose settings match is never redone, so an
// interrupted study resumes after it and RL settings can change without repeating it.
using System.Text.Json;
using Ispo.Models.Checkpoints;
using Ispo.Models.Pretrained;
using Ispo.Training.Configuration;
using Ispo.Training.Progress;
using Ispo.Training.Sft;
using Ispo.Training.Trainer;

namespace Ispo.Training.Study;

public static class BaseModelStage
{
    const string MarkerFile = "base-model.json";

    /// <summary>The pretrained model folder for <paramref name="config"/>'s preset, SFT settings and seed under
    /// <paramref name="dir"/>, trained now unless a finished stage of the same settings is there.</summary>
    public static string Ensure(TrainConfig config, string dir, IProgressReporter progress, CancellationToken cancel = default)
    {
        _ = TrainingSetup.Device(config); // a device this build lacks is refused before anything is deleted
        string modelDir = Path.Combine(dir, "model");
        string marker = Path.Combine(dir, MarkerFile);
        string fingerprint = Fingerprint(config);
        if (File.Exists(marker) && JsonSerializer.Deserialize<Finished>(File.ReadAllText(marker)) is { } done && done.Fingerprint == fingerprint)
            return modelDir;
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        string initDir = Path.Combine(dir, "model-init");
        ModelInit.Create(ModelInit.Preset(config.Model.Preset ?? "demo"), initDir, config.Run.Seed);
        using LoadedModel model = TrainingSetup.LoadModel(initDir, config);
        progress.Log($"base model ({config.Model.Preset}, seed {config.Run.Seed}): {config.Sft.Steps} steps of {config.Sft.BatchSize} {config.Sft.Corpus.ToString().ToLowerInvariant()} texts, "
            + TrainingSetup.KernelsNote(model.Model));
        var clock = System.Diagnostics.Stopwatch.StartNew();
        SftRun.Execute(model, config, null, progress, cancel);
        cancel.ThrowIfCancellationRequested();
        TrainerCheckpoint.SaveModel(modelDir, model.Model, initDir);
        AtomicFile.WriteAllText(marker, JsonSerializer.Serialize(new Finished(fingerprint, clock.Elapsed.TotalSeconds)));
        return modelDir;
    }

    /// <summary>Every setting the stage reads, and no RL-only one.</summary>
    static string Fingerprint(TrainConfig config) => ConfigYaml.Serialize(new TrainConfig
    {
        Model = config.Model with { Threads = 1 }, Sft = config.Sft with { Tiers = null }, Run = new RunConfig { Seed = config.Run.Seed },
        Data = config.Data with { Tiers = config.Sft.Tiers ?? config.Data.Tiers, SyntheticPool = 0, PromptsPerStep = 1, Shuffle = false },
    });

    sealed record Finished(string Fingerprint, double Seconds);
}
