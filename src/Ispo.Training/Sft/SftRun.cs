// The SFT phase as a job: worked examples from the configured task (the synthetic tiers' solutions, or a dataset's
// `solution` field), the sft.* settings, progress lines, and the trained model saved in HF layout.
using Ispo.Models.Pretrained;
using Ispo.Training.Configuration;
using Ispo.Training.Data;
using Ispo.Training.Progress;
using Ispo.Training.Rollouts;
using Ispo.Training.Tasks;
using Ispo.Training.Trainer;

namespace Ispo.Training.Sft;

public static class SftRun
{
    /// <summary>Trains <paramref name="model"/> in place on sft.steps × sft.batch_size examples.</summary>
    public static IReadOnlyList<SftStep> Execute(LoadedModel model, TrainConfig config, string? dataDir, IProgressReporter progress,
        CancellationToken cancel = default)
    {
        TaskFormat format = TrainingSetup.Format(model, config);
        var examples = Examples(config, dataDir).Select(e => new SftExample(format.EncodePrompt(e.Problem), format.EncodeTarget(e.Solution))).ToList();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        return SftTrainer.Train(model.Model, examples, config.Sft, config.Run.Seed, s =>
        {
            if ((s.Step + 1) % config.Sft.LogEvery == 0 || s.Step + 1 == config.Sft.Steps)
                progress.Step(new ProgressSnapshot(s.Step + 1, config.Sft.Steps, s.Step + 1, clock.Elapsed,
                    Extra: new Dictionary<string, double> { ["loss"] = s.Loss, ["token_acc"] = s.TokenAccuracy }));
        }, cancel);
    }

    /// <summary>(problem, worked solution) pairs: one fresh synthetic problem per example, or a dataset's rows.</summary>
    static IEnumerable<(string Problem, string Solution)> Examples(TrainConfig config, string? dataDir)
    {
        if (config.Data.Task == TaskKind.Synthetic && config.Sft.Corpus == SftCorpus.Pretraining)
            return Enumerable.Range(0, config.Sft.Steps * config.Sft.BatchSize)
                .Select(i => PretrainingCorpus.Document(config.Sft.Tiers ?? config.Data.Tiers, config.Run.Seed, i))
                .Select(d => (d.Problem.Prompt, d.Text));
        if (config.Data.Task == TaskKind.Synthetic)
            return Enumerable.Range(0, config.Sft.Steps * config.Sft.BatchSize)
                .Select(i => SyntheticArithmetic.SampleMixed(config.Sft.Tiers ?? config.Data.Tiers, config.Run.Seed, i))
                .Select(p => (p.Prompt, p.Solution));
        Dataset dataset = DatasetRegistry.Load(config.Data.Dataset!, dataDir ?? ".");
        var rows = dataset.Problems.Where(p => p.Metadata.ContainsKey("solution")).Select(p => (p.Problem, p.Metadata["solution"])).ToList();
        return rows.Count > 0 ? rows
            : throw new ArgumentException($"dataset '{dataset.Name}' has no 'solution' field to fine-tune on; SFT needs worked solutions");
    }
}
