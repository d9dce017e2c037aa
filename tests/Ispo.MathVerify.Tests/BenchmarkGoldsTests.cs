// Acceptance: every gold answer of the six benchmarks verifies equal to itself and to \boxed{gold} in a sentence.
using Ispo.MathVerify.Extraction;
using Ispo.MathVerify.Normalization;
using Ispo.MathVerify.Parsing;
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
        Assert.Empty(failures);
    }

    /// <summary>How many normalised golds the parser understands (the rest compare as strings or text only).</summary>
    [Fact]
    public void ReportsHowManyGoldsTheParserUnderstands()
    {
        var unparsed = new List<string>();
        foreach (BenchmarkGold gold in Golds)
        {
            string normalized = AnswerNormalizer.Normalize(GoldAnswers.Unwrap(gold.Gold));
            if (MathParser.Parse(normalized, VerifyBudget.Default()) is null) unparsed.Add($"{gold.Benchmark}:{gold.Line} [{normalized}]");
        }
        output.WriteLine($"parser understands {Golds.Count - unparsed.Count} of {Golds.Count} normalised golds");
        foreach (string line in unparsed.Take(100)) output.WriteLine("  " + line);
        Assert.True(unparsed.Count < Golds.Count / 20, $"{unparsed.Count} golds unparsed");
    }

    void Report(string check, List<BenchmarkGold> failures, int? total = null)
    {
        output.WriteLine($"{check}: {(total ?? Golds.Count) - failures.Count} of {total ?? Golds.Count} pass");
        foreach (BenchmarkGold failure in failures.Take(40)) output.WriteLine($"  {failure.Benchmark}:{failure.Line} [{failure.Gold}]");
    }
}
