using Ispo.MathVerify.Extraction;

namespace Ispo.MathVerify.Tests.Extraction;

public class GoldAnswersTests
{
    [Theory]
    [InlineData(@"so $s = \boxed{1.6}$ cm", "1.6")]
    [InlineData(@"\boxed{a} then \boxed{\frac{b}{c}}", @"\frac{b}{c}")]
    [InlineData(@"\boxed{\left[P^{2 / 5}\right]^{5 / 2}}", @"\left[P^{2 / 5}\right]^{5 / 2}")]
    [InlineData("no box", null)]
    public void LastBoxedReturnsTheLastCompleteBox(string solution, string? expected) => Assert.Equal(expected, GoldAnswers.LastBoxed(solution));

    [Theory]
    [InlineData("She makes 9 * 2 = $18.\n#### 18", "18")]
    [InlineData("...\n#### 1,450,000", "1450000")]
    [InlineData("#### -3", "-3")]
    [InlineData("no marker", null)]
    public void Gsm8kTakesTheTextAfterTheMarker(string solution, string? expected) => Assert.Equal(expected, GoldAnswers.Gsm8k(solution));

    [Theory]
    [InlineData("$69$,$84$", "69,84")]
    [InlineData(@"$\frac{1}{2 n+2}$", @"\frac{1}{2 n+2}")]
    [InlineData(@"\boxed{5}", "5")]
    [InlineData(@"\$32,\!348", @"\$32,\!348")]
    [InlineData(" 42 ", "42")]
    [InlineData(@"\(\boxed{1}\) and \(\boxed{-2}\).", "1, -2")]
    [InlineData(@"$$\boxed{2}, \boxed{3}, \boxed{5}$$", "2, 3, 5")]
    [InlineData(@"\boxed{1} papers and \boxed{2} bins", "1, 2")]
    [InlineData(@"\boxed{1} no no no \boxed{2}", "2")]
    [InlineData(@"so it falls. Final Answer: The final answer is $28 \%$. I hope it is correct.", @"28 \%")]
    public void UnwrapRemovesBoxesAndMathDollars(string gold, string expected) => Assert.Equal(expected, GoldAnswers.Unwrap(gold));
}
