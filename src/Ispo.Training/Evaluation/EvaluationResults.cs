// The outcome of an evaluation: metrics per benchmark (in run order) and their average.
namespace Ispo.Training.Evaluation;

public sealed record EvaluationResults(IReadOnlyList<(string Name, BenchmarkMetrics Metrics)> Benchmarks, BenchmarkMetrics Average)
{
    public BenchmarkMetrics this[string benchmark] => Benchmarks.First(b => b.Name == benchmark).Metrics;

    /// <summary>Flat metric names for a metrics sink during training: eval/&lt;benchmark&gt;/pass@1 and so on.</summary>
    public IReadOnlyDictionary<string, double> ToFlatMetrics(string prefix = "eval")
    {
        var flat = new Dictionary<string, double>();
        foreach ((string name, BenchmarkMetrics m) in Benchmarks.Append(("average", Average)))
        {
            foreach ((int k, double value) in m.PassAt)
                flat[$"{prefix}/{name}/pass@{k}"] = value;
            flat[$"{prefix}/{name}/extraction_failure_rate"] = m.ExtractionFailureRate;
            flat[$"{prefix}/{name}/mean_length"] = m.MeanLength;
        }
        return flat;
    }
}
