// Robustness: token soup built from the grammar's own pieces never makes Compare throw or hang.
using CsCheck;

namespace Ispo.MathVerify.Tests.Equivalence;

public class FuzzTests
{
    static readonly string[] Tokens =
    [
        "1", "0", "2.5", "10", "x", "y", "e", "i", "\\pi", "+", "-", "*", "/", "^", "_", "!", "%", "\\%", "(", ")", "[", "]",
        "{", "}", "\\{", "\\}", "|", ",", "=", "<", "\\le", "\\ne", "\\frac", "\\sqrt", "[3]", "\\binom", "\\sin", "\\log",
        "\\ln", "^{-1}", "\\cdot", "\\times", "\\pm", "\\infty", "\\cup", "\\emptyset", "\\text{ and }", "\\text{cm}", " ",
        "\\left(", "\\right)", "\\begin{pmatrix}", "\\end{pmatrix}", "&", "\\\\", "^\\circ", "\\lfloor", "\\rfloor", "'",
        "4.5e3", "\\mathbb{R}", "\\in", "52_8", "\\$", "\\dot{x}", "^{\\prime}", "\\,", "\\", "e^{", "10^{10^{", "99!",
    ];

    static readonly Gen<string> Soup = Gen.Int[0, Tokens.Length - 1].Array[0, 14].Select(ix => string.Concat(ix.Select(i => Tokens[i])));

    [Fact]
    public void CompareNeverThrows() =>
        Gen.Select(Soup, Soup).Sample((gold, pred) =>
        {
            var outcome = MathEquivalence.Compare(gold, pred, EquivalenceOptions.Default, new VerifyBudget(50_000, TimeSpan.FromSeconds(1)));
            Assert.True(Enum.IsDefined(outcome));
            Assert.True(Enum.IsDefined(MathEquivalence.Compare(gold, "{" + gold + "}+0")));
            Assert.True(Enum.IsDefined(MathEquivalence.Compare(gold + "," + pred, pred + "," + gold)));
            Assert.Equal(EquivalenceOutcome.Equal, MathEquivalence.Compare(gold, gold) is var self && self == EquivalenceOutcome.UnparseableGold && gold.Trim().Length == 0 ? EquivalenceOutcome.Equal : self);
        }, iter: 5_000);
}
