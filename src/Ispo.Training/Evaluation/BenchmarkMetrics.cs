// Metrics of one benchmark from its sample records: pass@1 (= avg@K), unbiased pass@k, extraction failures, length.
namespace Ispo.Training.Evaluation;

/// <param name="SamplesPerProblem">K, the samples drawn per problem.</param>
/// <param name="PassAt1">Mean correctness over all samples (avg@K), in 0..1.</param>
/// <param name="PassAt">Unbiased pass@k for k = 1, 2, 4, … ≤ K (and K).</param>
/// <param name="ExtractionFailureRate">Fraction of completions with no extractable answer.</param>
/// <param name="MeanLength">Mean completion length in tokens.</param>
/// <param name="TruncatedRate">Fraction of completions cut at the token limit.</param>
public sealed record BenchmarkMetrics(
    int Problems, int SamplesPerProblem, int Completions, double PassAt1, IReadOnlyDictionary<int, double> PassAt,
    double ExtractionFailureRate, double MeanLength, double TruncatedRate)
{
    /// <summary>Metrics over records of one benchmark; every problem must have the same number of samples.</summary>
    public static BenchmarkMetrics Compute(IReadOnlyList<SampleRecord> records)
    {
        if (records.Count == 0)
            return new BenchmarkMetrics(0, 0, 0, 0, new Dictionary<int, double>(), 0, 0, 0);
        var perProblem = records.GroupBy(r => r.ProblemIndex).Select(g => (n: g.Count(), c: g.Count(r => r.Correct))).ToList();
        int samples = perProblem.Min(p => p.n);
        var passAtK = PassAtK.ReportedKs(samples)
            .ToDictionary(k => k, k => perProblem.Average(p => PassAtK.Estimate(p.n, p.c, k)));
        return new BenchmarkMetrics(
            perProblem.Count, samples, records.Count, perProblem.Average(p => (double)p.c / p.n), passAtK,
            records.Average(r => r.Extracted is null ? 1.0 : 0.0), records.Average(r => (double)r.Length),
            records.Average(r => r.Truncated ? 1.0 : 0.0));
    }

    /// <summary>Macro average over benchmarks (each benchmark weighs the same); pass@k for the k all share.</summary>
    public static BenchmarkMetrics Average(IReadOnlyList<BenchmarkMetrics> benchmarks)
    {
        if (benchmarks.Count == 0)
            return Compute([]);
        var sharedKs = benchmarks.Select(b => b.PassAt.Keys).Aggregate((a, b) => a.Intersect(b)).Order();
        return new BenchmarkMetrics(
            benchmarks.Sum(b => b.Problems), benchmarks.Min(b => b.SamplesPerProblem), benchmarks.Sum(b => b.Completions),
            benchmarks.Average(b => b.PassAt1), sharedKs.ToDictionary(k => k, k => benchmarks.Average(b => b.PassAt[k])),
            benchmarks.Average(b => b.ExtractionFailureRate), benchmarks.Average(b => b.MeanLength),
            benchmarks.Average(b => b.TruncatedRate));
    }
}
