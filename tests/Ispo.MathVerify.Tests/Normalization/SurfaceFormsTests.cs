using Ispo.MathVerify.Normalization;

namespace Ispo.MathVerify.Tests.Normalization;

public class SurfaceFormsTests
{
    [Theory]
    [InlineData(@"\\frac{1}{2}", @"\frac{1}{2}")]
    [InlineData(@"\\left( 3, \\frac{\\pi}{2} \\right)", @"\left( 3, \frac{\pi}{2} \right)")]
    [InlineData(@"\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix}", @"\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix}")]
    [InlineData(@"x_{1}=2,\quadx_{2}=3", "x_{1}=2, x_{2}=3")]
    [InlineData(@"1\qquad2", "1 2")]
    public void BeforeCommandsUndoesDoublingAndGluing(string answer, string expected) =>
        Assert.Equal(expected, SurfaceForms.BeforeCommands(answer));

    [Theory]
    [InlineData(@"x = 1/3 \approx 0.33", "x = 1/3")]
    [InlineData(@"x \approx 11", "11")]
    [InlineData(@"(5, 8) and (8, 5)", "(5, 8), (8, 5)")]
    [InlineData("W(x)=1 or W(x)=-1", "W(x)=1, W(x)=-1")]
    [InlineData("Alice and Bob", "Alice and Bob")]
    [InlineData("{2, 3, 5}", "2, 3, 5")]
    [InlineData("{1}", "{1}")]
    public void AfterCommandsKeepsTheStatedAnswer(string answer, string expected) =>
        Assert.Equal(expected, SurfaceForms.AfterCommands(answer));
}
