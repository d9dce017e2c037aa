// Acceptance: every gold answer of the six benchmarks verifies equal to itself and to \boxed{gold} in a sentence.
using Ispo.MathVerify.Normalization;
using Xunit.Abstractions;

namespace Ispo.MathVerify.Tests;

public class BenchmarkGoldsTests(ITestOutputHelper output)
{
    static readonly IReadOnlyList<BenchmarkGold> Golds = BenchmarkGolds.All();

    [Fact]
    public void AllSixBenchmarksAreLoaded()
    {
        var counts = Golds.GroupBy(g => g.Benchmark).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(500, counts["math500.jsonl"]);
        Assert.Equal(30, counts["aime24.jsonl"]);
        Assert.Equal(40, counts["amc23.jsonl"]);
        Assert.Equal(272, counts["minerva_math.jsonl"]);
        Assert.Equal(675, counts["olympiadbench.jsonl"]);
        Assert.Equal(1319, counts["gsm8k_test.jsonl"]);
    }

    [Fact]
    public void EveryGoldEqualsItself()
    {
        var failures = Golds.Where(g => !MathVerifier.VerifyAnswer(g.Gold, g.Gold).Equal).ToList();
        Report("gold vs itself", failures);
        Assert.Empty(failures);
    }

    [Fact]
    public void EveryGoldEqualsItsBoxedFormInASentence()
    {
        var failures = Golds.Where(g => !MathVerifier.Verify($"So the final answer is \\boxed{{{g.Gold}}}.", g.Gold).Equal).ToList();
        Report("gold vs boxed sentence", failures);
        Assert.Empty(failures);
    }

    [Fact]
    public void EveryGoldEqualsItsDapoAnswerLine()
    {
        var failures = Golds.Where(g => !g.Gold.Contains('\n') && !MathVerifier.Verify($"Work.\nAnswer: {g.Gold}", g.Gold).Equal).ToList();
        Report("gold vs Answer: line", failures);
        Assert.Empty(failures);
    }

    /// <summary>The reference solutions of MATH-500 and Minerva end in a \boxed{} answer: they must verify.</summary>
    [Fact]
    public void ReferenceSolutionsVerifyAgainstTheirGold()
    {
        var withSolutions = Golds.Where(g => g.Solution is not null).ToList();
        var failures = withSolutions.Where(g => !MathVerifier.Verify(g.Solution!, g.Gold).Equal).ToList();
        Report("reference solution vs gold", failures, withSolutions.Count);
        Assert.True(failures.Count <= withSolutions.Count / 50, $"{failures.Count} of {withSolutions.Count} solutions failed");
    }

    /// <summary>How many normalised golds the comparison itself (not the identical-string fast path) accepts.</summary>
    [Fact]
    public void ReportsHowManyGoldsTheComparisonParses()
    {
        int equal = 0;
        var notEqual = new List<string>();
        foreach (BenchmarkGold gold in Golds)
        {
            string normalized = AnswerNormalizer.Normalize(GoldAnswersUnwrap(gold.Gold));
            var outcome = MathEquivalence.Compare(normalized, normalized);
            if (outcome == EquivalenceOutcome.Equal) equal++;
            else notEqual.Add($"{gold.Benchmark}:{gold.Line} {outcome} [{normalized}]");
        }
        output.WriteLine($"comparison accepts {equal} of {Golds.Count} normalised golds as equal to themselves");
        foreach (string line in notEqual.Take(80)) output.WriteLine(line);
        Assert.True(equal > 0);
    }

    static string GoldAnswersUnwrap(string gold) => Ispo.MathVerify.Extraction.GoldAnswers.Unwrap(gold);

    void Report(string check, List<BenchmarkGold> failures, int? total = null)
    {
        output.WriteLine($"{check}: {(total ?? Golds.Count) - failures.Count} of {total ?? Golds.Count} pass");
        foreach (BenchmarkGold failure in failures.Take(40)) output.WriteLine($"  {failure.Benchmark}:{failure.Line} [{failure.Gold}]");
    }
}
