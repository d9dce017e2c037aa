// Writes fake run directories (config.yaml + metrics.jsonl) shaped like real GRPO/ISPO runs, for report tests.
using Ispo.Training.Configuration;
using Ispo.Training.Reports;
using Ispo.Training.Runs;

namespace Ispo.Training.Tests.Reports;

static class SyntheticRuns
{
    /// <summary>A run of <paramref name="steps"/> steps; ISPO runs also log the ispo/… diagnostics.</summary>
    public static string Write(string parent, string name, bool ispo, int steps = 40, int seed = 0)
    {
        var config = TrainConfig.Load(null, [$"run.out_dir={parent}", $"run.name={name}", $"algorithm.shapers=[{(ispo ? "ispo" : "")}]"]);
        RunDirectory run = RunDirectory.Start(config);
        var rng = new Random(seed);
        using var sink = new JsonlMetricsSink(run.MetricsPath);
        for (int step = 1; step <= steps; step++)
        {
            double progress = step / (double)steps, noise = rng.NextDouble() * 0.05;
            var m = new Dictionary<string, double>
            {
                [MetricNames.Reward] = 0.3 + 0.4 * progress + noise,
                [MetricNames.Accuracy] = 0.3 + 0.35 * progress + noise,
                [MetricNames.FracRewardZeroStd] = ispo ? 0.0 : 0.2 + 0.2 * progress,
                [MetricNames.StepTime] = ispo ? 1.05 : 1.0,
                [MetricNames.PhaseTime(MetricNames.PhaseSampling)] = 0.6,
                [MetricNames.Loss] = step == 3 ? double.NaN : 0.01,
            };
            if (ispo)
            {
                m[MetricNames.EntropyCriticalIncorrect] = 0.8 - 0.3 * progress;
                m[MetricNames.EntropyCriticalCorrect] = 0.6 - 0.4 * progress;
                m[MetricNames.IfdCorrect] = 0.2 + noise;
                m[MetricNames.IfdIncorrect] = 0.05 + noise;
                m[MetricNames.CriticalFrac] = 0.04 + 0.046 * progress;
                m[MetricNames.EntropySetFrac] = 0.1;
                m[MetricNames.DriftSetFrac] = 0.3 * progress;
            }
            if (step % 10 == 0) m[MetricNames.EvalAccuracy("synthetic-tier3")] = 0.2 + 0.3 * progress;
            sink.Write(step, m);
        }
        return run.Root;
    }
}
