using Ispo.MathVerify.Extraction;

namespace Ispo.MathVerify.Tests.Extraction;

public class AnswerExtractorTests
{
    static string? Strict(string completion) => AnswerExtractor.Extract(completion, ExtractionRules.Strict)?.Text;
    static string? Eval(string completion) => AnswerExtractor.Extract(completion, ExtractionRules.Evaluation)?.Text;

    [Theory]
    // `$` as a currency sign is not a math delimiter (GSM8K)
    [InlineData("Thus he has $100 - $88 = $<<100-88=12>>12 left.", "12")]
    [InlineData("It costs $12/bag * 160 bags = $<<12*160=1920>>1920", "1920")]
    // a number written after the last math span is what the text ends with
    [InlineData("The domain of $f(x)$ has 19 points", "19")]
    [InlineData("so $x = 3$", "x = 3")]
    // last numbers: fractions, a leading point, never digits glued to a word
    [InlineData("the probability that Alice wins is 2/3. <|im_start|>user", "2/3")]
    [InlineData("about .4", ".4")]
    [InlineData("1 000", "1 000")]
    [InlineData("it took 12 000 steps", "12 000")]
    [InlineData("between 5 and 1 234 567", "1 234 567")]
    [InlineData("pages 1234 567", "567")]
    [InlineData("code AZYUK2A", null)]
    public void LastResortsReadTextAsAReaderWould(string completion, string? expected) => Assert.Equal(expected, Eval(completion));

    [Theory]
    [InlineData(@"So the answer is \boxed{42}.", "42")]
    [InlineData(@"\boxed{\frac{1}{2}}", @"\frac{1}{2}")]
    [InlineData("First \\boxed{1}.\nThen finally \\boxed{2}.", "2")]
    [InlineData("We get \\boxed{3}.\nOn reflection the total is \\boxed{4}", "4")]
    [InlineData(@"\boxed{\{1,2\}}", @"\{1,2\}")]
    [InlineData(@"\boxed{\left( 3, \frac{\pi}{2} \right)}", @"\left( 3, \frac{\pi}{2} \right)")]
    [InlineData(@"The roots are \boxed{1} and \boxed{-2}.", "1, -2")]
    [InlineData(@"\fbox{7}", "7")]
    [InlineData(@"so $\boxed 5$", "5")]
    [InlineData(@"\boxed{ **73** }", "73")]
    [InlineData(@"\boxed{$12$}", "12")]
    [InlineData(@"\boxed{5.}", "5")]
    [InlineData(@"answer \boxed{\text{(C)}}", @"\text{(C)}")]
    [InlineData(@"\boxed{x \in [-2,7]}", @"x \in [-2,7]")]
    [InlineData(@"\boxed{\begin{pmatrix} 1 \\ 2 \end{pmatrix}}", @"\begin{pmatrix} 1 \\ 2 \end{pmatrix}")]
    [InlineData(@"complete \boxed{3} then truncated \boxed{4", "3")]
    [InlineData(@"\boxedx is not a box; \boxed{9}", "9")]
    public void BoxedIsBraceMatchedAndRightMost(string completion, string expected) => Assert.Equal(expected, Strict(completion));

    [Theory]
    [InlineData("Final Answer: The final answer is $\\frac{3}{4}$. I hope it is correct.", @"\frac{3}{4}")]
    [InlineData("The final answer is $2$. I hope it is correct. Then \\boxed{3}", "2")]
    [InlineData("reasoning\nAnswer: 17", "17")]
    [InlineData("reasoning\nAnswer: $\\frac{1}{2}$", @"\frac{1}{2}")]
    [InlineData("reasoning\n**Answer:** 12.", "12")]
    [InlineData("Answer: 3\nwait, more work\nAnswer: 5\n", "5")]
    [InlineData("Final Answer: 8", "8")]
    [InlineData("The answer is 14.", "14")]
    [InlineData("Thus the final answer is **73**.", "73")]
    [InlineData("So the answer is $x^2+1$ and we are done.", "x^2+1")]
    [InlineData("The answer is: 3.5 meters.\nDone", "3.5 meters")]
    [InlineData("the answer is \\(\\sqrt{2}\\)", @"\sqrt{2}")]
    public void MarkerRulesFindTheAnswer(string completion, string expected) => Assert.Equal(expected, Strict(completion));

    [Theory]
    [InlineData("I think it is 42")]
    [InlineData("We compute $x = 3$ here.")]
    [InlineData("")]
    [InlineData(@"\boxed{}")]
    [InlineData(@"\boxed{   }")]
    [InlineData("The answer is")]
    [InlineData("an answer is 5")]
    public void StrictModeFindsNothingWithoutAMarker(string completion) => Assert.Null(Strict(completion));

    [Theory]
    [InlineData("I think it is 42", "42")]
    [InlineData("We compute $x = 3$ here.", "x = 3")]
    [InlineData("so $a$ and then \\(b+1\\) end", "b+1")]
    [InlineData("display \\[ \\frac{1}{2} \\] and text", @"\frac{1}{2}")]
    [InlineData("$$\n7\n$$", "7")]
    [InlineData("a price of \\$5 and $3$", "3")]
    [InlineData("no math here, total 1,234 apples", "1,234")]
    [InlineData("temperature drops to -5 degrees", "-5")]
    [InlineData("it is 3.75.", "3.75")]
    [InlineData("dollar $ sign on a line\nthen 8", "8")]
    public void EvaluationModeFallsBackToLastMathThenNumber(string completion, string expected) => Assert.Equal(expected, Eval(completion));

    [Fact]
    public void EvaluationModeFindsNothingWithoutNumbersOrMath() => Assert.Null(Eval("no idea at all"));

    [Theory]
    [InlineData("<think>maybe \\boxed{1}</think>The result is \\boxed{2}.", "2")]
    [InlineData("<think>maybe \\boxed{1}</think>no final answer given", null)]
    [InlineData("<think>a</think><think>b \\boxed{3}</think>\\boxed{4}", "4")]
    public void OnlyTextAfterThinkIsGraded(string completion, string? expected) => Assert.Equal(expected, Strict(completion));

    [Fact]
    public void SpanPointsAtTheAnswerAndTheSegmentRunsFromTheBox()
    {
        const string completion = @"Reasoning here. So \boxed{ 42 }.";
        ExtractedAnswer answer = AnswerExtractor.Extract(completion, ExtractionRules.Strict)!;
        Assert.Equal("42", completion.Substring(answer.Start, answer.Length));
        Assert.Equal(completion.IndexOf(@"\boxed", StringComparison.Ordinal), answer.SegmentStart);
        Assert.Equal(ExtractionRule.Boxed, answer.Rule);
    }

    [Fact]
    public void AnswerLineSegmentStartsAtTheLine()
    {
        const string completion = "Work.\nAnswer: $7$\n";
        ExtractedAnswer answer = AnswerExtractor.Extract(completion, ExtractionRules.Strict)!;
        Assert.Equal("7", completion.Substring(answer.Start, answer.Length));
        Assert.Equal(completion.IndexOf("Answer", StringComparison.Ordinal), answer.SegmentStart);
        Assert.Equal(ExtractionRule.AnswerLine, answer.Rule);
    }

    [Fact]
    public void SeveralBoxesSpanFromTheFirstToTheLast()
    {
        const string completion = @"x = \boxed{1} or x = \boxed{-2}";
        ExtractedAnswer answer = AnswerExtractor.Extract(completion, ExtractionRules.Strict)!;
        Assert.Equal("1, -2", answer.Text);
        Assert.Equal(@"1} or x = \boxed{-2", completion.Substring(answer.Start, answer.Length));
        Assert.Equal(completion.IndexOf(@"\boxed", StringComparison.Ordinal), answer.SegmentStart);
    }

    [Fact]
    public void RulePriorityIsConfigurable()
    {
        const string completion = "Answer: 5\nbut \\boxed{6}";
        Assert.Equal("6", AnswerExtractor.Extract(completion, ExtractionRules.Strict)!.Text);
        Assert.Equal("5", AnswerExtractor.Extract(completion, [ExtractionRule.AnswerLine, ExtractionRule.Boxed])!.Text);
    }
}
