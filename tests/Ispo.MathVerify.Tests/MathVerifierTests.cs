using Ispo.MathVerify.Extraction;

namespace Ispo.MathVerify.Tests;

public class MathVerifierTests
{
    static VerifyReason Reason(string completion, string gold) => MathVerifier.Verify(completion, gold).Reason;

    [Theory]
    // MATH-500 style golds against boxed predictions in other spellings
    [InlineData(@"\boxed{\dfrac{14}{3}}", @"\frac{14}{3}")]
    [InlineData(@"\boxed{\frac{14}3}", @"\frac{14}{3}")]
    [InlineData(@"\boxed{90}", @"90^\circ")]
    [InlineData(@"\boxed{90^{\circ}}", @"90^\circ")]
    [InlineData(@"\boxed{90 \text{ degrees}}", @"90^\circ")]
    [InlineData(@"\boxed{\text{Evelyn}}", @"\text{Evelyn}")]
    [InlineData(@"\boxed{Evelyn}", @"\text{Evelyn}")]
    [InlineData(@"\boxed{\textbf{evelyn}}", @"\text{Evelyn}")]
    [InlineData(@"\boxed{x = 5}", "x=5")]
    [InlineData(@"\boxed{5}", "x=5")]
    [InlineData(@"\boxed{10080}", @"10,\!080")]
    [InlineData(@"\boxed{10,080}", @"10,\!080")]
    [InlineData(@"\boxed{\$32,348}", @"\$32,\!348")]
    [InlineData(@"\boxed{32348}", @"\$32,\!348")]
    [InlineData(@"\boxed{864}", @"864 \mbox{ inches}^2")]
    [InlineData(@"\boxed{864\text{ in}^2}", @"864 \mbox{ inches}^2")]
    [InlineData(@"\boxed{(C)}", @"\text{(C)}")]
    [InlineData(@"\boxed{C}", @"\text{(C)}")]
    [InlineData(@"\boxed{\textbf{(C)}}", @"\text{(C)}")]
    [InlineData(@"\boxed{11\sqrt{2}}", @"11\sqrt2")]
    [InlineData(@"\boxed{\frac{4}{3}}", @"\frac43")]
    [InlineData(@"\boxed{\left(3, \frac{\pi}{2}\right)}", @"\left( 3, \frac{\pi}{2} \right)")]
    [InlineData(@"\boxed{[-2,7]}", @"x \in [-2,7]")]
    [InlineData(@"\boxed{\frac{270}{7}}", @"\frac{270}7\text{ degrees}")]
    [InlineData(@"\boxed{5.4}", @"5.4 \text{ cents}")]
    [InlineData(@"\boxed{18.90}", @"\$18.90")]
    [InlineData(@"\boxed{\text{even}}", @"\text{even}")]
    [InlineData(@"\boxed{East}", @"\text{east}")]
    [InlineData(@"\boxed{\text{No}}", @"\text{no}")]
    [InlineData(@"\boxed{\text{no real solutions}}", @"\text{No real solutions}")]
    [InlineData(@"\boxed{infinity}", @"\infty")]
    [InlineData(@"\boxed{5!}", "120")]
    [InlineData("The answer is $4!$.", "24")]
    [InlineData(@"\boxed{\sin x}", @"\sin x")]
    // AIME leading zeros, AMC floats, GSM8K numbers
    [InlineData(@"\boxed{25}", "025")]
    [InlineData(@"\boxed{025}", "025")]
    [InlineData(@"\boxed{73}", "073")]
    [InlineData("Answer: 45", "045")]
    [InlineData(@"\boxed{1450000}", "1450000")]
    [InlineData(@"\boxed{1,450,000}", "1450000")]
    [InlineData("The answer is $\\$18$.", "18")]
    [InlineData("The answer is 18 dollars.", "18")]
    // Minerva and OlympiadBench formats
    [InlineData("Final Answer: The final answer is $4.5e33$. I hope it is correct.", "4.5e33")]
    [InlineData(@"\boxed{1.6 \mathrm{~cm}}", "1.6")]
    [InlineData(@"\boxed{k=1}", "$k=1$")]
    [InlineData(@"\boxed{1}", "$k=1$")]
    [InlineData(@"\boxed{69,84}", "$69$,$84$")]
    [InlineData(@"\boxed{\frac{1}{2 n+2}}", @"$\frac{1}{2 n+2}$")]
    [InlineData(@"\boxed{62.5\%}", "62.5%")]
    // extraction conventions
    [InlineData("<think>maybe 3</think>\n**Answer:** 7", "7")]
    [InlineData("The answer is **73**.", "73")]
    [InlineData(@"Both \boxed{1} and \boxed{-2} work.", "1,-2")]
    public void EqualAnswersVerify(string completion, string gold) => Assert.Equal(VerifyReason.Equal, Reason(completion, gold));

    /// <summary>Shapes of real model outputs (R1-style thinking, Qwen display math, DAPO answer lines, GSM8K prose).</summary>
    [Theory]
    [InlineData("<think>\nLet me try 2... no, 3.\n</think>\n\n**Final Answer**\n\\[\n\\boxed{\\dfrac{1}{2}}\n\\]", @"\frac{1}{2}", true)]
    [InlineData("Step 1: ...\nStep 2: ...\nThus the area is $\\boxed{12\\pi}$ square units.", @"12\pi", true)]
    [InlineData("Solving, $x^2 = 4$.\nAnswer: $\\pm 2$", @"\pm 2", true)]
    [InlineData("Let's think step by step. 16 - 3 - 4 = 9 eggs, 9 * 2 = $18.\nThe answer is 18.", "18", true)]
    [InlineData("Let's think step by step. 16 - 3 - 4 = 9 eggs, 9 * 2 = $18.\nThe answer is 17.", "18", false)]
    [InlineData("The final answer is $\\boxed{(3, \\frac{\\pi}{2})}$", @"\left( 3, \frac{\pi}{2} \right)", true)]
    [InlineData("So the solutions are \\(x = 1\\) and \\(x = -2\\), i.e. \\(\\boxed{1, -2}\\).", "1,-2", true)]
    [InlineData("Hence the interval is $\\boxed{(-\\infty, 0]}$.", @"(-\infty, 0]", true)]
    [InlineData("Hence the interval is $\\boxed{(-\\infty, 0)}$.", @"(-\infty, 0]", false)]
    [InlineData("The matrix is $\\boxed{\\begin{pmatrix} -1 & 0 \\\\ 0 & -1 \\end{pmatrix}}$.", @"\begin{pmatrix} -1 & 0 \\ 0 & -1 \end{pmatrix}", true)]
    public void RealisticCompletions(string completion, string gold, bool equal) =>
        Assert.Equal(equal ? VerifyReason.Equal : VerifyReason.NotEqual, Reason(completion, gold));

    [Theory]
    [InlineData(@"\boxed{\frac{14}{5}}", @"\frac{14}{3}")]
    [InlineData(@"\boxed{91}", @"90^\circ")]
    [InlineData(@"\boxed{\text{Evelin}}", @"\text{Evelyn}")]
    [InlineData(@"\boxed{x = 6}", "x=5")]
    [InlineData(@"\boxed{10081}", @"10,\!080")]
    [InlineData(@"\boxed{(B)}", @"\text{(C)}")]
    [InlineData(@"\boxed{250}", "025")]
    [InlineData(@"\boxed{26}", "025")]
    [InlineData(@"\boxed{1450001}", "1450000")]
    [InlineData(@"\boxed{\text{odd}}", @"\text{even}")]
    [InlineData("Answer: 44", "045")]
    [InlineData(@"\boxed{5!}", "5")]
    public void DifferentAnswersDoNotVerify(string completion, string gold) => Assert.Equal(VerifyReason.NotEqual, Reason(completion, gold));

    [Theory]
    [InlineData("I believe it is 42", "42")]
    [InlineData("", "42")]
    [InlineData("<think>\\boxed{42}</think>", "42")]
    [InlineData(@"\boxed{}", "42")]
    public void MissingAnswersAreNoAnswer(string completion, string gold) => Assert.Equal(VerifyReason.NoAnswer, Reason(completion, gold));

    [Fact]
    public void EvaluationModeUsesTheLastNumber()
    {
        Assert.Equal(VerifyReason.NoAnswer, MathVerifier.Verify("so it is 42", "42").Reason);
        Assert.Equal(VerifyReason.Equal, MathVerifier.Verify("so it is 42", "42", VerifyOptions.Evaluation).Reason);
    }

    [Fact]
    public void ResultCarriesTheExtractedAnswerAndItsSpan()
    {
        const string completion = @"Thus \boxed{\dfrac{1}{2}}.";
        VerifyResult result = MathVerifier.Verify(completion, "0.5");
        Assert.Equal(@"\dfrac{1}{2}", result.Extracted);
        Assert.Equal(@"\dfrac{1}{2}", completion.Substring(result.Answer!.Start, result.Answer.Length));
        Assert.Equal(@"\frac{1}{2}", result.NormalizedPred);
        Assert.Equal("0.5", result.NormalizedGold);
    }

    [Fact]
    public void EmptyGoldIsUnparseableGold() => Assert.Equal(VerifyReason.UnparseableGold, Reason(@"\boxed{1}", "  "));

    [Fact]
    public void PredThatNormalizesToNothingIsUnparseablePred() => Assert.Equal(VerifyReason.UnparseablePred, Reason(@"\boxed{\quad}", "1"));

    [Fact]
    public void OverlongAnswerExceedsTheBudget()
    {
        string huge = @"\boxed{" + new string('1', 1_000_000) + "}";
        Assert.Equal(VerifyReason.BudgetExceeded, Reason(huge, "1"));
    }

    [Fact]
    public void DeeplyNestedAnswerExceedsTheBudget()
    {
        string nested = @"\boxed{" + string.Concat(Enumerable.Repeat(@"\frac{1}{", 5_000)) + "2" + new string('}', 5_001);
        Assert.Equal(VerifyReason.BudgetExceeded, Reason(nested, "1"));
    }

    [Theory]
    [InlineData(@"\boxed{10^{10^{10^{10}}}}", "1")]
    [InlineData(@"\boxed{1000!}", "1")]
    [InlineData(@"\boxed{1000!}", "1000!")]
    [InlineData(@"\boxed{10^{10^{10^{10}}}}", "10^{10^{10^{10}}}")]
    [InlineData(@"\boxed{2^{2^{2^{2^{2^{2}}}}}}", "3")]
    public void HugeValuesFinishWithinTheBudget(string completion, string gold)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        VerifyReason reason = Reason(completion, gold);
        Assert.True(watch.ElapsedMilliseconds < 1_000, $"{watch.ElapsedMilliseconds} ms");
        Assert.True(reason is VerifyReason.BudgetExceeded or VerifyReason.NotEqual or VerifyReason.Equal, reason.ToString());
        if (completion == $@"\boxed{{{gold}}}") Assert.Equal(VerifyReason.Equal, reason);
        else Assert.NotEqual(VerifyReason.Equal, reason);
    }

    [Fact]
    public void TenThousandNestedBracesFinish()
    {
        string nested = @"\boxed{" + new string('{', 10_000) + "1" + new string('}', 10_000) + "}";
        VerifyReason reason = Reason(nested, "1");
        Assert.True(reason is VerifyReason.Equal or VerifyReason.BudgetExceeded, reason.ToString());
    }

    [Fact]
    public void MegabyteCompletionWithoutAnswerIsFast()
    {
        string text = string.Concat(Enumerable.Repeat("lorem $x$ ipsum \\boxed{ 12 \n", 40_000));
        var watch = System.Diagnostics.Stopwatch.StartNew();
        VerifyResult result = MathVerifier.Verify(text[..^1] + "{{{{", "12", VerifyOptions.Evaluation);
        Assert.True(watch.ElapsedMilliseconds < 2_000, $"{watch.ElapsedMilliseconds} ms");
        Assert.NotNull(result.Answer);
    }

    [Fact]
    public void CustomRulesChangeWhatIsGraded()
    {
        var options = new VerifyOptions { Rules = [ExtractionRule.AnswerLine] };
        Assert.Equal(VerifyReason.NoAnswer, MathVerifier.Verify(@"\boxed{3}", "3", options).Reason);
        Assert.Equal(VerifyReason.Equal, MathVerifier.Verify("Answer: 3", "3", options).Reason);
    }

    [Theory]
    [InlineData(VerifyReason.Equal, "equal")]
    [InlineData(VerifyReason.NotEqual, "not_equal")]
    [InlineData(VerifyReason.NoAnswer, "no_answer")]
    [InlineData(VerifyReason.UnparseablePred, "unparseable_pred")]
    [InlineData(VerifyReason.UnparseableGold, "unparseable_gold")]
    [InlineData(VerifyReason.BudgetExceeded, "budget_exceeded")]
    public void ReasonsHaveSnakeCaseNames(VerifyReason reason, string name) => Assert.Equal(name, reason.ToName());
}
