// CsCheck properties: generated expressions equal themselves and their plain-text rendering; formatting variants
// of one rational number are all equal; a different number is not.
using System.Globalization;
using CsCheck;

namespace Ispo.MathVerify.Tests.Equivalence;

public class EquivalencePropertyTests
{
    static EquivalenceOutcome Compare(string gold, string pred) => MathEquivalence.Compare(gold, pred);

    /// <summary>The same expression rendered as LaTeX and as plain text (with commuted sums and products).</summary>
    static Gen<(string Latex, string Plain)> Expression(int depth)
    {
        var leaf = Gen.OneOf(
            Gen.Int[0, 50].Select(n => (n.ToString(CultureInfo.InvariantCulture), n.ToString(CultureInfo.InvariantCulture))),
            Gen.Int[1, 99].Select(n => { var d = $"0.{n:00}"; return (d, d); }),
            Gen.OneOfConst(("x", "x"), ("y", "y"), ("\\pi", "pi"), ("\\sqrt{2}", "sqrt(2)"), ("e", "e"), ("a_{1}", "a_1")));
        if (depth == 0) return leaf;
        var child = Expression(depth - 1);
        var node = Gen.OneOf(
            Gen.Select(child, child, (a, b) => ($"{{{a.Latex}}}+{{{b.Latex}}}", $"({b.Plain})+({a.Plain})")),
            Gen.Select(child, child, (a, b) => ($"\\left({a.Latex}\\right)-\\left({b.Latex}\\right)", $"({a.Plain})-({b.Plain})")),
            Gen.Select(child, child, (a, b) => ($"\\left({a.Latex}\\right) \\cdot \\left({b.Latex}\\right)", $"({b.Plain})*({a.Plain})")),
            Gen.Select(child, child, (a, b) => ($"\\frac{{{a.Latex}}}{{{{{b.Latex}}}^{{2}}+1}}", $"({a.Plain})/(({b.Plain})^2+1)")),
            Gen.Select(child, Gen.Int[0, 3], (a, k) => ($"\\left({a.Latex}\\right)^{{{k}}}", $"({a.Plain})^{k}")),
            child.Select(a => ($"-\\left({a.Latex}\\right)", $"-({a.Plain})")),
            child.Select(a => ($"\\sin\\left({a.Latex}\\right)", $"sin({a.Plain})")));
        return Gen.Frequency((1, leaf), (2, node));
    }

    [Fact]
    public void GeneratedExpressionsEqualThemselvesAndTheirPlainRendering() =>
        Expression(3).Sample(e =>
        {
            Assert.Equal(EquivalenceOutcome.Equal, Compare(e.Latex, e.Latex));
            Assert.Equal(EquivalenceOutcome.Equal, Compare(e.Latex, e.Plain));
            Assert.Equal(EquivalenceOutcome.Equal, Compare(e.Plain, e.Latex));
        }, iter: 300);

    [Fact]
    public void GeneratedTuplesAndSetsEqualThemselves() =>
        Gen.Select(Expression(2), Expression(2)).Sample((a, b) =>
        {
            Assert.Equal(EquivalenceOutcome.Equal, Compare($"({a.Latex}, {b.Latex})", $"({a.Plain}, {b.Plain})"));
            Assert.Equal(EquivalenceOutcome.Equal, Compare($"\\{{{a.Latex}, {b.Latex}\\}}", $"\\{{{b.Plain}, {a.Plain}\\}}"));
        }, iter: 200);

    /// <summary>Ways of writing p/q that a model or a dataset might use.</summary>
    static IEnumerable<string> Variants(int p, int q)
    {
        string sign = p < 0 ? "-" : "";
        int a = Math.Abs(p);
        yield return $"\\frac{{{p}}}{{{q}}}";
        yield return $"{sign}\\frac{{{a}}}{{{q}}}";
        yield return $"{sign}\\dfrac{{{a}}}{{{q}}}";
        yield return $"{p}/{q}";
        yield return $"{p} \\div {q}";
        yield return $"\\frac{{{2 * p}}}{{{2 * q}}}";
        yield return $"({3 * p})/({3 * q})";
        yield return $"\\frac{{{p}}}{{{q}}} \\cdot 1";
        if (a < 10 && q < 10) yield return sign + "\\frac" + a + q; // \frac12 as the normaliser leaves it
        if (a > q && a % q != 0) yield return $"{sign}{a / q}\\frac{{{a % q}}}{{{q}}}";
        var value = (decimal)p / q;
        if (TerminatingDecimal(q)) { yield return value.ToString("0.0##########", CultureInfo.InvariantCulture); yield return value.ToString("0.000000000000", CultureInfo.InvariantCulture); }
        else yield return value.ToString("0.000000", CultureInfo.InvariantCulture); // a rounding of p/q
        if (p % q == 0) yield return (p / q).ToString(CultureInfo.InvariantCulture);
    }

    static bool TerminatingDecimal(int q)
    {
        while (q % 2 == 0) q /= 2;
        while (q % 5 == 0) q /= 5;
        return q == 1;
    }

    [Fact]
    public void FormattingVariantsOfOneNumberAreEqual()
    {
        foreach (var (p, q) in new[] { (1, 2), (2, 4), (-3, 8), (7, 3), (10, 5), (0, 7) })
            AssertVariantsEqual(p, q);
        Gen.Select(Gen.Int[-999, 999], Gen.Int[1, 99]).Sample(AssertVariantsEqual, iter: 300);
    }

    static void AssertVariantsEqual(int p, int q)
    {
        var variants = Variants(p, q).ToList();
        foreach (var gold in variants)
            foreach (var pred in variants)
                Assert.True(Compare(gold, pred) == EquivalenceOutcome.Equal, $"{gold} vs {pred}");
    }

    [Fact]
    public void TheNextNumberIsNotEqual() =>
        Gen.Select(Gen.Int[-999, 999], Gen.Int[1, 99]).Sample((p, q) =>
        {
            Assert.Equal(EquivalenceOutcome.NotEqual, Compare($"\\frac{{{p}}}{{{q}}}", $"\\frac{{{p + 1}}}{{{q}}}"));
            Assert.Equal(EquivalenceOutcome.NotEqual, Compare($"({p}, {q})", $"({q}, {p})") is var o && p == q ? EquivalenceOutcome.NotEqual : o);
        }, iter: 300);
}
