using Ispo.MathVerify.Extraction;

namespace Ispo.MathVerify.Tests.Extraction;

public class AnswerLinesTests
{
    static string? Answer(string completion) => AnswerLines.Last(completion, 0)?.Text;

    [Theory]
    // GSM8K's few-shot format and its gold marker
    [InlineData("She makes 9 * 2 = $<<9*2=18>>18 every day.\nA: 18", "18")]
    [InlineData("He paid $5 + $2 = $<<5+2=7>>7.\n#### 7", "7")]
    // Minerva's phrase without "I hope it is correct" and with the period inside the math
    [InlineData("work\nFinal Answer: The final answer is $\\frac{3}{4}.$", @"\frac{3}{4}")]
    [InlineData("work\nFinal Answer: The final answer is $28 \\%$.", @"28 \%")]
    // a sentence stating the value, on its own line or after the work
    [InlineData("work\nFinal Answer: The largest $n$ is 34.", "34")]
    [InlineData("so the volume is $120$. Final Answer: The volume of $ABCDEFGH$ is 120. I hope it is correct.", "120")]
    [InlineData("work\nFinal Answer: Jane started growing Sphere 3 hours ago.", "3")]
    // values that are not sentences stay whole
    [InlineData("Answer: 864 \\mbox{ inches}^2", @"864 \mbox{ inches}^2")]
    [InlineData("Answer: \\begin{pmatrix} -1/3 \\\\ 2/3 \\end{pmatrix}", @"\begin{pmatrix} -1/3 \\ 2/3 \end{pmatrix}")]
    [InlineData("Answer: Evelyn", "Evelyn")]
    public void FindsTheValueOfTheLastAnswerLine(string completion, string expected) => Assert.Equal(expected, Answer(completion));

    [Theory]
    [InlineData("Q: how many?\nAnother: 5")]
    [InlineData("a: 5")]
    [InlineData("no answer line here")]
    public void OtherLinesAreNoAnswerLines(string completion) => Assert.Null(Answer(completion));

    [Fact]
    public void TheSegmentStartsAtTheMarker()
    {
        const string completion = "Work. Final Answer: The largest $n$ is 34.";
        ExtractedAnswer answer = AnswerLines.Last(completion, 0)!;
        Assert.Equal(completion.IndexOf("Final", StringComparison.Ordinal), answer.SegmentStart);
        Assert.Equal("34", completion.Substring(answer.Start, answer.Length));
    }
}
