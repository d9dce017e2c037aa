// Held-out evaluation during training (eval.every steps, eval.benchmarks): the synthetic tiers, or any registered
// benchmark through the same evaluator as `ispo eval`. Results are logged as eval/<name>/accuracy with the step.
using Ispo.Models.Pretrained;
using Ispo.Training.Configuration;
using Ispo.Training.Data;
using Ispo.Training.Evaluation;
using Ispo.Training.Hub;
using Ispo.Training.Prompts;
using Ispo.Training.Reports;
using Ispo.Training.Study;

namespace Ispo.Training.Trainer;

public static class PeriodicEvaluation
{
    public const string Synthetic = "synthetic";

    /// <summary>An evaluation of the policy's current weights on the configured benchmarks (greedy unless eval.temperature).</summary>
    public static Func<IReadOnlyDictionary<string, double>> Create(TrainConfig config, LoadedModel policy, string? dataDir)
    {
        EvalConfig e = config.Eval;
        int maxNewTokens = e.MaxNewTokens ?? config.Rollout.MaxNewTokens;
        var datasets = e.Benchmarks.Where(b => b != Synthetic)
            .Select(name => DatasetRegistry.ResolveAsync(name, dataDir, new HubClient(HubOptions.FromEnvironment()), e.MaxProblems).GetAwaiter().GetResult())
            .ToList();
        return () =>
        {
            var metrics = new Dictionary<string, double>();
            if (e.Benchmarks.Contains(Synthetic)) AddSynthetic(metrics, config, policy);
            if (datasets.Count > 0) AddBenchmarks(metrics, config, policy, datasets, maxNewTokens);
            return metrics;
        };
    }

    static void AddSynthetic(Dictionary<string, double> metrics, TrainConfig config, LoadedModel policy)
    {
        double[] accuracy = TierScores.Measure(policy, config, TierScores.AllTiers, config.Eval.MaxProblems ?? 100,
            samples: 0, temperature: 0, stopStrings: []).GreedyAccuracy;
        for (int tier = 1; tier <= accuracy.Length; tier++) metrics[MetricNames.EvalAccuracy($"{Synthetic}-tier{tier}")] = accuracy[tier - 1];
        metrics[MetricNames.EvalAccuracy(Synthetic)] = accuracy.Average();
    }

    static void AddBenchmarks(Dictionary<string, double> metrics, TrainConfig config, LoadedModel policy, List<Dataset> datasets, int maxNewTokens)
    {
        var settings = new GenerationSettings
        {
            SamplesPerProblem = config.Eval.SamplesPerProblem, MaxNewTokens = maxNewTokens, Temperature = config.Eval.Temperature, Seed = config.Run.Seed,
        };
        var options = new EvalOptions { SamplesPerProblem = settings.SamplesPerProblem, Template = PromptTemplates.Get(config.Data.Template) };
        EvaluationResults results = new Evaluator(new SamplerCompletionGenerator(policy, settings), MathVerifyAnswer.Create(), options).Run(datasets);
        foreach (var (name, m) in results.Benchmarks) metrics[MetricNames.EvalAccuracy(name)] = m.PassAt1;
    }
}
