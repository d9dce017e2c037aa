using Ispo.Training.Evaluation;

namespace Ispo.Training.Tests.Evaluation;

public class BenchmarkMetricsTests
{
    static SampleRecord Record(int problem, int sample, bool correct, string? extracted = "x", int length = 10) =>
        new("b", problem, $"id{problem}", sample, "gold", "text", extracted, correct, length, false);

    [Fact]
    public void Computes_avg_at_k_pass_at_k_failures_and_length()
    {
        // problem 0: 1 of 4 correct; problem 1: 4 of 4 correct; one extraction failure; lengths 10 and 30.
        SampleRecord[] records =
        [
            Record(0, 0, true), Record(0, 1, false, extracted: null), Record(0, 2, false), Record(0, 3, false),
            Record(1, 0, true, length: 30), Record(1, 1, true, length: 30), Record(1, 2, true, length: 30), Record(1, 3, true, length: 30),
        ];

        BenchmarkMetrics m = BenchmarkMetrics.Compute(records);

        Assert.Equal((2, 4, 8), (m.Problems, m.SamplesPerProblem, m.Completions));
        Assert.Equal((0.25 + 1.0) / 2, m.PassAt1, 12);
        Assert.Equal([1, 2, 4], m.PassAt.Keys);
        Assert.Equal((0.5 + 1.0) / 2, m.PassAt[2], 12);   // 1 − C(3,2)/C(4,2) = 0.5 for problem 0
        Assert.Equal(1.0, m.PassAt[4], 12);
        Assert.Equal(m.PassAt1, m.PassAt[1], 12);
        Assert.Equal(1.0 / 8, m.ExtractionFailureRate, 12);
        Assert.Equal(20.0, m.MeanLength, 12);
    }

    [Fact]
    public void Average_is_the_macro_mean_over_benchmarks()
    {
        BenchmarkMetrics a = BenchmarkMetrics.Compute([Record(0, 0, true), Record(1, 0, true)]);
        BenchmarkMetrics b = BenchmarkMetrics.Compute([Record(0, 0, false, length: 30)]);

        BenchmarkMetrics average = BenchmarkMetrics.Average([a, b]);

        Assert.Equal(0.5, average.PassAt1, 12);
        Assert.Equal(3, average.Problems);
        Assert.Equal(20.0, average.MeanLength, 12);
    }
}
