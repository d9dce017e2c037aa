using Ispo.MathVerify.Extraction;

namespace Ispo.MathVerify.Tests.Extraction;

public class BareLatexTests
{
    static string Around(string s, string number)
    {
        int start = s.LastIndexOf(number, StringComparison.Ordinal);
        var (from, to) = BareLatex.Around(s, 0, start, start + number.Length);
        return s[from..to];
    }

    [Theory]
    [InlineData(@"\frac{10}{9}", "9", @"\frac{10}{9}")]
    [InlineData(@"so it is \frac{10}{9} now", "9", @"\frac{10}{9}")]
    [InlineData(@"\sqrt{\frac{1}{2}}", "2", @"\sqrt{\frac{1}{2}}")]
    [InlineData(@"x^{2} is 4", "4", "4")]
    [InlineData(@"{a, 7}", "7", "7")]
    public void ANumberInsideACommandsArgumentsTakesTheCommand(string s, string number, string expected) =>
        Assert.Equal(expected, Around(s, number));

    [Theory]
    [InlineData(@"\frac{10}{9}", @"\frac{10}{9}")]
    [InlineData(@"-\frac{10}{9}", @"-\frac{10}{9}")]
    public void EvaluationModeExtractsTheWholeFraction(string completion, string expected) =>
        Assert.Equal(expected, AnswerExtractor.Extract(completion, ExtractionRules.Evaluation)?.Text);
}
