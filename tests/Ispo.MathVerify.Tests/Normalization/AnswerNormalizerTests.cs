using Ispo.MathVerify.Normalization;

namespace Ispo.MathVerify.Tests.Normalization;

public class AnswerNormalizerTests
{
    [Theory]
    // spacing, sizing and styling commands
    [InlineData(@"\left( 3, \frac{\pi}{2} \right)", @"(3,\frac{\pi}{2})")]
    [InlineData(@"\left[ \frac{\pi^2}{8}, \frac{5 \pi^2}{4} \right]", @"[\frac{\pi^2}{8},\frac{5\pi^2}{4}]")]
    [InlineData(@"\dfrac{17}{50}", @"\frac{17}{50}")]
    [InlineData(@"\tfrac{1}{2}", @"\frac{1}{2}")]
    [InlineData(@"\cfrac{2}{3}", @"\frac{2}{3}")]
    [InlineData(@"\displaystyle \frac{1}{4}", @"\frac{1}{4}")]
    [InlineData(@"3\,\sqrt{2}", @"3\sqrt{2}")]
    [InlineData(@"2\;x", "2x")]
    [InlineData(@"\mathbf{7}", "7")]
    [InlineData(@"\textbf{12}", "12")]
    [InlineData(@"\boldsymbol{x+1}", "x+1")]
    [InlineData(@"\mathrm{e}^{2}", "e^{2}")]
    [InlineData(@"\boxed{5}", "5")]
    [InlineData(@"\bigl(1,2\bigr)", "(1,2)")]
    [InlineData(@"k \geqslant 2", @"k\geq2")]
    [InlineData(@"\lbrace 1, 2 \rbrace", @"\{1, 2\}")]
    // issue 17: number formats, labels, connectives
    [InlineData(@"14{,}916", "14916")]
    [InlineData(@"14 {, }916", "14916")]
    [InlineData("1000,99", "1000.99")]
    [InlineData("0,111", "0.111")]
    [InlineData("3,5", "3,5")]
    [InlineData("28 pct", "28%")]
    [InlineData(@"2.5 \text{ kcal m}^{-2}", "2.5")]
    [InlineData(@"\binom{10}{3} = 120", "120")]
    [InlineData("p=5,q=2;p=7,q=2", "(5,2),(7,2)")]
    [InlineData("28 percentage", "28%")]
    [InlineData("(p,q)=(3,2)", "(3,2)")]
    [InlineData("AB=4,CD=5", "4,5")]
    [InlineData(@"V_{1}:V_{2}=11:21", "11:21")]
    [InlineData(@"\frac{NO}{BO}=\frac{1}{\sqrt{6}}", @"\frac{1}{\sqrt{6}}")]
    [InlineData("|AB|=1", "1")]
    [InlineData(@"x=1/3\approx1.3", "1/3")]
    [InlineData(@"p = -1 \text{ and } p = \dfrac{15}{8}", @"-1,\frac{15}{8}")]
    // malformed fractions and radicals
    [InlineData(@"\frac12", @"\frac{1}{2}")]
    [InlineData(@"\frac1{2}", @"\frac{1}{2}")]
    [InlineData(@"\frac{270}7", @"\frac{270}{7}")]
    [InlineData(@"\frac 59", @"\frac{5}{9}")]
    [InlineData(@"\frac\pi2", @"\frac{\pi}{2}")]
    [InlineData(@"\sqrt3", @"\sqrt{3}")]
    [InlineData(@"11\sqrt2", @"11\sqrt{2}")]
    [InlineData(@"\sqrt[3]{7}", @"\sqrt[3]{7}")]
    [InlineData(@"\dfrac{\sqrt3}{2}", @"\frac{\sqrt{3}}{2}")]
    [InlineData(@"\binom52", @"\binom{5}{2}")]
    // text, units and filler
    [InlineData(@"\text{Evelyn}", "evelyn")]
    [InlineData("Even", "even")]
    [InlineData(@"\text{No solution}", "no solution")]
    [InlineData("sin x", "sin x")]
    [InlineData("NO", "no")]
    [InlineData("Infinity", @"\infty")]
    [InlineData("ab", "ab")]
    [InlineData(@"\text{(C)}", "C")]
    [InlineData(@"\text{C}", "C")]
    [InlineData(@"\mathrm{m}", "m")]
    [InlineData(@"3 \times 10^8 \mathrm{~m/s}", @"3\times10^8")]
    [InlineData(@"\textbf{(B)}", "B")]
    [InlineData("(E)", "E")]
    [InlineData(@"5.4 \text{ cents}", "5.4")]
    [InlineData(@"864 \mbox{ inches}^2", "864")]
    [InlineData(@"15\mbox{ cm}^2", "15")]
    [InlineData(@"\frac{270}7\text{ degrees}", @"\frac{270}{7}")]
    [InlineData(@"1.6 \mathrm{~cm}", "1.6")]
    [InlineData(@"72 \mathrm{~m}", "72")]
    [InlineData("5 cm", "5")]
    [InlineData("18 dollars", "18")]
    [InlineData("12 square feet", "12")]
    [InlineData("30 degrees", "30")]
    [InlineData("4 units^2", "4")]
    [InlineData(@"\text{5 cm}", "5")]
    [InlineData("6m", "6m")]
    [InlineData("2 n", "2n")]
    [InlineData(@"x \min", @"x\min")]
    // degrees, percent, dollars
    [InlineData(@"90^\circ", "90")]
    [InlineData(@"120^{\circ}", "120")]
    [InlineData("45°", "45")]
    [InlineData(@"(45^{\circ}, 60^{\circ})", "(45, 60)")]
    [InlineData(@"50\%", "50%")]
    [InlineData(@"8 \%", "8%")]
    [InlineData("62.5 percent", "62.5%")]
    [InlineData(@"\$18.90", "18.90")]
    [InlineData(@"\$ 36", "36")]
    // numbers
    [InlineData("025", "25")]
    [InlineData("007", "7")]
    [InlineData("0", "0")]
    [InlineData("0.15", "0.15")]
    [InlineData(".35625", ".35625")]
    [InlineData("27.0", "27.0")]
    [InlineData("7,425,000", "7425000")]
    [InlineData(@"10,\!080", "10080")]
    [InlineData(@"11,\! 111,\! 111,\! 100", "11111111100")]
    [InlineData(@"\$32,\!348", "32348")]
    [InlineData("1 000", "1000")]
    [InlineData("3{,}5", "3.5")]
    [InlineData("2500,7500", "2500,7500")]
    [InlineData("27,54,108,135", "27,54,108,135")]
    [InlineData("1, 234", "1, 234")]
    [InlineData("(100,200)", "(100,200)")]
    [InlineData("52_8", "52_8")]
    [InlineData("x_{01}", "x_{01}")]
    [InlineData("five", "5")]
    [InlineData("Twenty-one", "21")]
    [InlineData("three hundred and six", "306")]
    // equations
    [InlineData("x=5", "5")]
    [InlineData("x = -\\frac{1}{2}", @"-\frac{1}{2}")]
    [InlineData("5 = x", "5")]
    [InlineData(@"\theta = \frac{\pi}{3}", @"\frac{\pi}{3}")]
    [InlineData("a_1 = 3", "3")]
    [InlineData("z = 1 + 2i", "1+2i")]
    [InlineData("x = 2 + 3 = 5", "5")]
    [InlineData("y = 2x + 3", "y=2x+3")]
    [InlineData("f(x)=2 x", "f(x)=2x")]
    [InlineData("5x - 7y + 11z + 4 = 0", "5x-7y+11z+4=0")]
    [InlineData("a=2, a=-6-4 \\sqrt{2}", @"2,-6-4\sqrt{2}")]
    [InlineData(@"x \in [-2,7]", "[-2,7]")]
    [InlineData("x <= 3", "x<=3")]
    [InlineData("M=2^{N-2}+1", "M=2^{N-2}+1")]
    // delimiters and punctuation
    [InlineData("$69$,$84$", "69,84")]
    [InlineData("  42.  ", "42")]
    [InlineData(@"(-\infty, 0) \cup\{1\}.", @"(-\infty, 0)\cup\{1\}")]
    [InlineData("−3 × 2", @"-3\times2")]
    [InlineData(@"\quad(2+\sqrt{2}, 1+\sqrt{2})", @"(2+\sqrt{2}, 1+\sqrt{2})")]
    [InlineData("", "")]
    public void NormalizesToTheCanonicalString(string answer, string expected)
    {
        Assert.Equal(expected, AnswerNormalizer.Normalize(answer));
        Assert.Equal(expected, AnswerNormalizer.Normalize(expected));                       // idempotent
    }

    [Fact]
    public void DeepNestingExceedsTheBudget()
    {
        string nested = string.Concat(Enumerable.Repeat(@"\sqrt{", 10_000)) + "1" + new string('}', 10_000);
        Assert.Throws<BudgetExceededException>(() => AnswerNormalizer.Normalize(nested));
    }

    [Fact]
    public void PlainBracesAreCopiedWithoutRecursion()
    {
        string nested = new string('{', 10_000) + "1" + new string('}', 10_000);
        Assert.Equal(nested, AnswerNormalizer.Normalize(nested));
    }
}
