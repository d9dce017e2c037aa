namespace Ispo.MathVerify.Tests.Equivalence;

public class MatrixArithmeticTests
{
    static EquivalenceOutcome Compare(string gold, string pred) => MathEquivalence.Compare(gold, pred);

    [Theory]
    [InlineData(@"\begin{pmatrix}6 & 8 \\ 10 & 12\end{pmatrix}", @"\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix} + \begin{pmatrix}5 & 6 \\ 7 & 8\end{pmatrix}")]
    [InlineData(@"\begin{pmatrix}1 & 0 \\ 0 & 1\end{pmatrix}", @"\begin{pmatrix}1 & 0 \\ 0 & 1\end{pmatrix} \begin{pmatrix}1 & 0 \\ 0 & 1\end{pmatrix}")]
    [InlineData(@"\begin{pmatrix}19 & 22 \\ 43 & 50\end{pmatrix}", @"\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix}\begin{pmatrix}5 & 6 \\ 7 & 8\end{pmatrix}")]
    [InlineData(@"\begin{pmatrix}2 & 0 \\ 0 & 2\end{pmatrix}", @"2\begin{pmatrix}1 & 0 \\ 0 & 1\end{pmatrix}")]
    [InlineData(@"\begin{pmatrix}-1 \\ 2\end{pmatrix}", @"-\begin{pmatrix}1 \\ -2\end{pmatrix}")]
    public void ArithmeticOnMatricesIsTheMatrixItDenotes(string gold, string pred) => Assert.Equal(EquivalenceOutcome.Equal, Compare(gold, pred));

    [Theory]
    [InlineData(@"\begin{pmatrix}6 & 8 \\ 10 & 13\end{pmatrix}", @"\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix} + \begin{pmatrix}5 & 6 \\ 7 & 8\end{pmatrix}")]
    [InlineData(@"\begin{pmatrix}23 & 34 \\ 31 & 46\end{pmatrix}", @"\begin{pmatrix}1 & 2 \\ 3 & 4\end{pmatrix}\begin{pmatrix}5 & 6 \\ 7 & 8\end{pmatrix}")]  // BA, not AB
    [InlineData(@"\begin{pmatrix}1 & 2\end{pmatrix}", @"\begin{pmatrix}1 & 2\end{pmatrix} + \begin{pmatrix}1 \\ 2\end{pmatrix}")]       // shapes do not fit
    public void WrongOrIllShapedArithmeticIsNotEqual(string gold, string pred) => Assert.NotEqual(EquivalenceOutcome.Equal, Compare(gold, pred));
}
