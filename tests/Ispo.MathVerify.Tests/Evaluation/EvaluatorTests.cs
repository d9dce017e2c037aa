// The evaluator: exact arithmetic, powers and roots, functions, combinatorics, infinities and variables.
using System.Numerics;
using Ispo.MathVerify.Evaluation;
using Ispo.MathVerify.Parsing;

namespace Ispo.MathVerify.Tests.Evaluation;

public class EvaluatorTests
{
    static Value Evaluate(string text, Dictionary<string, Complex>? point = null) =>
        new Evaluator(VerifyBudget.Default(), point).Evaluate(MathParser.Parse(text, VerifyBudget.Default())!);

    [Theory]
    [InlineData("0^0", "1")]
    [InlineData("0^3", "0")]
    [InlineData("(-1)^{1001}", "-1")]
    [InlineData("(-8)^{1/3}", "-2")]
    [InlineData("(\\frac{4}{9})^{1/2}", "2/3")]
    [InlineData("(\\frac{4}{9})^{-3/2}", "27/8")]
    [InlineData("\\binom{-1}{3}", "-1")]
    [InlineData("\\binom{5}{7}", "0")]
    [InlineData("\\binom{52}{5}", "2598960")]
    [InlineData("20!", "2432902008176640000")]
    [InlineData("|-\\frac{3}{4}|", "3/4")]
    [InlineData("\\lfloor \\frac{7}{2} \\rfloor", "3")]
    [InlineData("\\lceil -\\frac{7}{2} \\rceil", "-3")]
    [InlineData("e^0", "1")]
    [InlineData("\\ln 1", "0")]
    [InlineData("0 \\cdot \\pi", "0")]
    public void ExactResults(string text, string expected)
    {
        var v = Evaluate(text);
        Assert.True(v.IsExact, $"{text} → {v}");
        Assert.Equal(expected, v.ToString());
    }

    [Theory]
    [InlineData("1/0")]
    [InlineData("0^{-1}")]
    [InlineData("(-1)!")]
    [InlineData("(1/2)!")]
    [InlineData("\\ln 0")]
    [InlineData("x")]
    [InlineData("\\infty - \\infty")]
    [InlineData("\\binom{1/2}{1}")]
    public void UndefinedResults(string text) => Assert.Equal(ValueKind.Undefined, Evaluate(text).Kind);

    [Theory]
    [InlineData("\\infty", ValueKind.PositiveInfinity)]
    [InlineData("-\\infty", ValueKind.NegativeInfinity)]
    [InlineData("\\infty + 5", ValueKind.PositiveInfinity)]
    [InlineData("2\\infty", ValueKind.PositiveInfinity)]
    [InlineData("-3\\infty", ValueKind.NegativeInfinity)]
    [InlineData("1/\\infty", ValueKind.Exact)]
    [InlineData("e^{-\\infty}", ValueKind.Exact)]
    public void Infinities(string text, ValueKind kind) => Assert.Equal(kind, Evaluate(text).Kind);

    [Theory]
    [InlineData("\\ln(-1)", 0, Math.PI)]
    [InlineData("\\sqrt{-2}", 0, 1.4142135623730951)]
    [InlineData("\\arcsin 2", 1.5707963267948966, 1.3169578969248166)]
    [InlineData("e^{i\\pi}", -1, 0)]
    [InlineData("(-2)^{0.5}", 0, 1.4142135623730951)]
    public void ComplexPrincipalValues(string text, double re, double im)
    {
        var z = Evaluate(text).AsComplex;
        Assert.Equal(re, z.Real, 9);
        Assert.Equal(im, Math.Abs(z.Imaginary), 9);
    }

    [Fact]
    public void VariablesTakeTheirValuesFromThePoint()
    {
        var point = new Dictionary<string, Complex> { ["x"] = new(2, 0), ["a_1"] = new(0, 1) };
        Assert.Equal(5, Evaluate("x^2 + 1", point).AsComplex.Real, 12);
        Assert.Equal(-1, Evaluate("a_1^2", point).AsComplex.Real, 12);
        Assert.Equal(ValueKind.Undefined, Evaluate("y", point).Kind);
    }

    [Fact]
    public void TrigonometryAndInverses()
    {
        foreach (var (text, expected) in new[] { ("\\sec 0", 1.0), ("\\csc\\frac{\\pi}{2}", 1.0), ("\\cot\\frac{\\pi}{4}", 1.0),
                     ("\\arccos 0", Math.PI / 2), ("\\cosh 0", 1.0), ("\\tanh 0", 0.0), ("\\sinh 0", 0.0), ("\\arctan 1", Math.PI / 4) })
            Assert.Equal(expected, Evaluate(text).AsComplex.Real, 12);
    }
}
