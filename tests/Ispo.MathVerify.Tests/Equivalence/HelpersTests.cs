// Small pieces of the comparison: text detection, free variables, ± expansion, intervals from inequalities, points.
using Ispo.MathVerify.Parsing;

namespace Ispo.MathVerify.Tests.Equivalence;

public class HelpersTests
{
    static Expr Parse(string text) => MathParser.Parse(text, VerifyBudget.Default())!;

    [Theory]
    [InlineData("Evelyn", true)]
    [InlineData("no solution", true)]
    [InlineData("Even.", true)]
    [InlineData("xy", false)]
    [InlineData("(C)", false)]
    [InlineData("sin x", false)]
    [InlineData("x+1", false)]
    [InlineData("Route 66", false)]
    [InlineData("", false)]
    public void WordyAnswers(string text, bool wordy) => Assert.Equal(wordy, TextAnswer.IsWordy(text));

    [Theory]
    [InlineData("Evelyn", "evelyn", true)]
    [InlineData("no solution", "No  Solution.", true)]
    [InlineData("Even", "Evens", false)]
    public void TextEquality(string a, string b, bool equal) => Assert.Equal(equal, TextAnswer.Equal(a, b));

    [Theory]
    [InlineData("x^2 + y + x", "x,y")]
    [InlineData("\\pi e i", "")]
    [InlineData("a_{1} + \\alpha", "a_1,alpha")]
    [InlineData("\\{x, (y, z)\\}", "x,y,z")]
    public void FreeVariableNames(string text, string names) =>
        Assert.Equal(names, string.Join(",", FreeVariables.Of(Parse(text))));

    [Theory]
    [InlineData("\\pm 3", 2)]
    [InlineData("1 \\pm \\sqrt{2}", 2)]
    [InlineData("\\pm 1 \\pm 2", 4)]
    [InlineData("3", 1)]
    public void PlusMinusAlternatives(string text, int count) =>
        Assert.Equal(count, PlusMinusExpansion.Alternatives(Parse(text)).Count);

    [Fact]
    public void PlusMinusExpansionIsCapped()
    {
        var many = string.Concat(Enumerable.Repeat("\\pm 1", 10));
        Assert.Equal(16, PlusMinusExpansion.Alternatives(Parse(many)).Count);
    }

    [Theory]
    [InlineData("x < 3", '(', ')')]
    [InlineData("x \\le 3", '(', ']')]
    [InlineData("3 \\le x", '[', ')')]
    [InlineData("1 < x \\le 2", '(', ']')]
    [InlineData("2 \\ge x > 1", '(', ']')]
    public void IntervalsFromInequalities(string text, char open, char close)
    {
        var interval = Assert.IsType<Sequence>(Intervals.From(Assert.IsType<Relation>(Parse(text))));
        Assert.Equal((open, close), (interval.Open, interval.Close));
    }

    [Theory]
    [InlineData("x = 3")]
    [InlineData("x + y < 3")]
    [InlineData("1 < x > 2")]
    [InlineData("x < y")]
    public void NotIntervals(string text) => Assert.Null(Intervals.From(Assert.IsType<Relation>(Parse(text))));

    [Fact]
    public void RandomPointsAreSeededAndAwayFromZero()
    {
        var a = RandomPoints.Point(["x", "y"], seed: 7, index: 3);
        var b = RandomPoints.Point(["x", "y"], seed: 7, index: 3);
        Assert.Equal(a["x"], b["x"]);
        Assert.NotEqual(a["x"], RandomPoints.Point(["x", "y"], seed: 8, index: 3)["x"]);
        for (int k = 0; k < 50; k++)
            foreach (var z in RandomPoints.Point(["x", "y"], 1, k).Values)
                Assert.InRange(Math.Abs(z.Real), 0.15, 2.0);
        Assert.Equal(0, RandomPoints.Point(["x"], 1, 0, real: true)["x"].Imaginary);
    }
}
