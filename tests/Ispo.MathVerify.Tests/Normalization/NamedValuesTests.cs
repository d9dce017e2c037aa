using Ispo.MathVerify.Normalization;

namespace Ispo.MathVerify.Tests.Normalization;

public class NamedValuesTests
{
    [Fact]
    public void DistinctLabelsAreNamedValues()
    {
        Assert.Equal([("a", "5"), ("b", "3")], NamedValues.Of("a=5, b=3")!);
        Assert.Equal([("a_37", "19"), ("a_3", "2")], NamedValues.Of(@"a_{37} = 19, \quad a_3 = 2")!);
        Assert.Equal([("AB", "4"), ("CD", "5")], NamedValues.Of("AB=4,CD=5")!);
    }

    [Theory]
    [InlineData(@"x = \frac{1}{2}, x = 3")]          // one unknown, two solutions: a set
    [InlineData("5, 3")]
    [InlineData("a = 5")]
    [InlineData("y = 2x + 1, 3")]
    public void OtherAnswersAreNot(string answer) => Assert.Null(NamedValues.Of(answer));

    [Theory]
    [InlineData("So $a = \\boxed{3}$ and $b = \\boxed{5}$.", "a=5, b=3", false)]       // labels reversed
    [InlineData("\\boxed{a = 3, b = 5}", "a=5, b=3", false)]
    [InlineData("\\boxed{b = 3, a = 5}", "a=5, b=3", true)]
    [InlineData("\\boxed{4, 5}", "AB=4,CD=5", true)]
    [InlineData("\\boxed{5, 4}", "AB=4,CD=5", false)]
    [InlineData("\\boxed{a_{37} = 19, \\quad a_3 = 2}", "a_3 = 2, a_{37} = 19", true)]
    public void AGoldNamingValuesIsComparedNameByName(string completion, string gold, bool equal) =>
        Assert.Equal(equal, MathVerifier.Verify(completion, gold, VerifyOptions.Evaluation).Equal);
}
