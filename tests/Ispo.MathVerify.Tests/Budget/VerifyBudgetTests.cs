// The budget: pathological inputs end quickly with BudgetExceeded or the right answer, never a hang or a crash.
using System.Diagnostics;
using Ispo.MathVerify.Parsing;

namespace Ispo.MathVerify.Tests.Budget;

public class VerifyBudgetTests
{
    const int MaxMilliseconds = 2_000; // generous: the machine running the tests is shared

    static EquivalenceOutcome TimedCompare(string gold, string pred, VerifyBudget? budget = null)
    {
        var watch = Stopwatch.StartNew();
        var outcome = MathEquivalence.Compare(gold, pred, EquivalenceOptions.Default, budget ?? VerifyBudget.Default());
        Assert.True(watch.ElapsedMilliseconds < MaxMilliseconds, $"took {watch.ElapsedMilliseconds} ms");
        return outcome;
    }

    static string Nested(string open, string inner, string close, int depth) =>
        string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));

    [Theory]
    [InlineData("10^{10^{10^{10}}}", "5", EquivalenceOutcome.BudgetExceeded)]
    [InlineData("10^{10^{10^{10}}}", "10^{10^{10^{10}}}", EquivalenceOutcome.Equal)]
    [InlineData("10^{10^{10^{10}}}", "10^{10^{10^{10}}} + 0", EquivalenceOutcome.BudgetExceeded)]
    [InlineData("2^{2^{2^{2^{2}}}}", "2^{65536}", EquivalenceOutcome.Equal)]
    [InlineData("9^{9^{9}}", "1", EquivalenceOutcome.BudgetExceeded)]
    [InlineData("1000!", "1000!", EquivalenceOutcome.Equal)]
    [InlineData("1000!", "1000 \\cdot 999!", EquivalenceOutcome.Equal)]
    [InlineData("1000!", "999!", EquivalenceOutcome.NotEqual)]
    [InlineData("\\frac{1}{2004!}", "\\frac{1}{2006!}", EquivalenceOutcome.NotEqual)]
    [InlineData("100000!", "1", EquivalenceOutcome.BudgetExceeded)]
    [InlineData("(10^{10})!", "1", EquivalenceOutcome.BudgetExceeded)]
    [InlineData("\\binom{10^{12}}{10^{11}}", "1", EquivalenceOutcome.BudgetExceeded)]
    [InlineData("4.5e999999999", "1", EquivalenceOutcome.BudgetExceeded)]
    [InlineData("1.5^{10^{9}}", "1", EquivalenceOutcome.BudgetExceeded)]
    [InlineData("e^{10^{9}}", "1", EquivalenceOutcome.NotEqual)] // overflows double: undefined, not equal to 1
    public void HugeNumbers(string gold, string pred, EquivalenceOutcome expected) => Assert.Equal(expected, TimedCompare(gold, pred));

    [Theory]
    [InlineData("{", "}")]
    [InlineData("(", ")")]
    [InlineData("\\sqrt{", "}")]
    [InlineData("\\frac{1}{", "}")]
    [InlineData("-", "")]
    [InlineData("2^{", "}")]
    [InlineData("|", "|")]
    [InlineData("\\text{", "}")]
    public void TenThousandNestedGroupsDoNotOverflowTheStack(string open, string close)
    {
        var deep = Nested(open, "1", close, 10_000);
        Assert.Equal(EquivalenceOutcome.BudgetExceeded, TimedCompare(deep, "1"));
        Assert.Equal(EquivalenceOutcome.BudgetExceeded, TimedCompare("1", deep));
    }

    [Theory]
    [InlineData("x+", "x")]
    [InlineData("x\\cdot ", "x")]
    [InlineData("", "5!")]
    [InlineData("-", "1")]
    public void LongChainsAreBoundedLikeNesting(string link, string last)
    {
        var chain = string.Concat(Enumerable.Repeat(link, 9_000)) + last + (last == "5!" ? new string('!', 9_000) : "");
        Assert.Equal(EquivalenceOutcome.BudgetExceeded, TimedCompare(chain, "1"));
    }

    [Fact]
    public void ModerateNestingIsStillParsed() =>
        Assert.Equal(EquivalenceOutcome.Equal, TimedCompare(Nested("{", "\\frac{1}{2}", "}", 40), "0.5"));

    [Fact]
    public void OneMegabyteStringIsRejectedQuickly()
    {
        var huge = string.Concat(Enumerable.Repeat("1+", 500_000)) + "1";
        Assert.Equal(EquivalenceOutcome.BudgetExceeded, TimedCompare(huge, "1000001"));
        Assert.Equal(EquivalenceOutcome.BudgetExceeded, TimedCompare("1", huge));
        Assert.Throws<BudgetExceededException>(() => MathParser.Parse(huge, VerifyBudget.Default()));
    }

    [Fact]
    public void LongButLegalInputsUseTheStepBudget()
    {
        var sum = string.Join("+", Enumerable.Repeat("x", 5_000));
        var outcome = TimedCompare(sum, "5000x");
        Assert.True(outcome is EquivalenceOutcome.Equal or EquivalenceOutcome.BudgetExceeded, outcome.ToString());
        Assert.Equal(EquivalenceOutcome.BudgetExceeded, TimedCompare(sum, "5000x", new VerifyBudget(1_000, TimeSpan.FromSeconds(10))));
    }

    [Fact]
    public void ManyLargeFactorialsHitTheTimeOrStepBudget()
    {
        var heavy = string.Join("+", Enumerable.Repeat("9000!", 200));
        Assert.Equal(EquivalenceOutcome.BudgetExceeded, TimedCompare(heavy, "1", new VerifyBudget(int.MaxValue, TimeSpan.FromMilliseconds(50))));
    }

    [Fact]
    public void StepBudgetCountsAndThrows()
    {
        var budget = new VerifyBudget(10, TimeSpan.FromSeconds(10));
        for (int i = 0; i < 10; i++) budget.Step();
        Assert.Equal(10, budget.StepsUsed);
        Assert.Throws<BudgetExceededException>(() => budget.Step());
    }

    [Fact]
    public void TimeBudgetThrowsAfterTheDeadline()
    {
        var budget = new VerifyBudget(int.MaxValue, TimeSpan.FromMilliseconds(1));
        Thread.Sleep(5);
        Assert.Throws<BudgetExceededException>(() => { for (int i = 0; i < 1_000; i++) budget.Step(); });
    }

    [Fact]
    public void MaximalTimeSpanMeansNoDeadline()
    {
        var budget = new VerifyBudget(int.MaxValue, TimeSpan.MaxValue);
        for (int i = 0; i < 10_000; i++) budget.Step();
        Assert.Equal(10_000, budget.StepsUsed);
    }

    [Fact]
    public void GuardsAreConfigurable()
    {
        var budget = new VerifyBudget(1_000_000, TimeSpan.FromSeconds(5)) { MaxInputLength = 10, MaxDepth = 3, MaxExactBits = 16 };
        Assert.Throws<BudgetExceededException>(() => MathParser.Parse("12345678901", budget));
        Assert.Throws<BudgetExceededException>(() => MathParser.Parse("((((1))))", budget));
        Assert.Equal(EquivalenceOutcome.BudgetExceeded, MathEquivalence.Compare("2^{100}", "1", EquivalenceOptions.Default, budget));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 0)]
    public void RejectsNonPositiveLimits(int steps, int milliseconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new VerifyBudget(steps, TimeSpan.FromMilliseconds(milliseconds)));
}
