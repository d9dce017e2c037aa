// The outcome of an evaluation: metrics per benchmark (in run order), their average, and the graded samples.
namespace Ispo.Training.Evaluation;

/// <param name="Samples">The graded samples within the run's range, by benchmark (in run order), problem and sample.</param>
public sealed record EvaluationResults(IReadOnlyList<(string Name, BenchmarkMetrics Metrics)> Benchmarks, BenchmarkMetrics Average,
    IReadOnlyList<SampleRecord> Samples)
{
    public BenchmarkMetrics this[string benchmark] => Benchmarks.First(b => b.Name == benchmark).Metrics;
}
