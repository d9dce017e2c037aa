// Property tests: spellings of one number (separators, zeros, units, wrappers) verify equal; a neighbour does not.
using System.Globalization;
using CsCheck;

namespace Ispo.MathVerify.Tests.Normalization;

public class FormattingVariantTests
{
    static readonly Func<long, string>[] Spellings =
    [
        n => n.ToString(CultureInfo.InvariantCulture),
        n => n.ToString("N0", CultureInfo.InvariantCulture),
        n => n.ToString("N0", CultureInfo.InvariantCulture).Replace(",", @",\!"),
        n => "00" + n.ToString(CultureInfo.InvariantCulture),
        n => @"\$" + n.ToString(CultureInfo.InvariantCulture),
        n => n + @"\text{ cm}",
        n => n + " dollars",
        n => "x = " + n,
        n => @"\boxed{" + n + "}",
        n => @"\text{" + n + "}",
        n => @"\mathbf{" + n + "}",
        n => "$" + n + "$",
        n => n + ".0",
        n => n + @"^\circ",
    ];

    [Fact]
    public void SpellingsOfOneNumberAreEqual() =>
        Gen.Select(Gen.Long[0, 10_000_000_000], Gen.Int[0, Spellings.Length - 1], Gen.Int[0, Spellings.Length - 1])
            .Sample((n, a, b) => MathVerifier.VerifyAnswer(Spellings[a](n), Spellings[b](n)).Equal, seed: "0N0XIzNsQ0O2", iter: 2_000);

    [Fact]
    public void ANeighbourIsNotEqual() =>
        Gen.Select(Gen.Long[0, 10_000_000_000], Gen.Int[0, Spellings.Length - 1], Gen.Int[0, Spellings.Length - 1])
            .Sample((n, a, b) => MathVerifier.VerifyAnswer(Spellings[a](n + 1), Spellings[b](n)).Reason == VerifyReason.NotEqual,
                seed: "0N0XIzNsQ0O2", iter: 2_000);

    /// <summary>Small LaTeX expressions: every one verifies equal to itself boxed in a sentence.</summary>
    [Fact]
    public void GeneratedExpressionsEqualThemselvesInABoxedSentence()
    {
        Gen<string> atom = Gen.OneOf(Gen.Int[0, 99].Select(i => i.ToString(CultureInfo.InvariantCulture)),
            Gen.OneOfConst("x", @"\pi", @"\sqrt{2}", "e", "i"));
        Gen<string> expression = Gen.Select(atom, Gen.OneOfConst("+", "-", @"\cdot ", "^"), atom, Gen.Int[0, 2])
            .Select((a, op, b, shape) => shape switch
            {
                0 => $"{a}{op}{b}",
                1 => $@"\frac{{{a}}}{{{b}+1}}",
                _ => $@"\left({a}{op}{b}\right)",
            });
        expression.Sample(text => MathVerifier.Verify($"So the final answer is \\boxed{{{text}}}.", text).Equal, seed: "0N0XIzNsQ0O2", iter: 500);
    }
}
