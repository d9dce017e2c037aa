// Parser tests: each input parses to a tree whose exact value (or shape) is asserted.
using Ispo.MathVerify.Evaluation;
using Ispo.MathVerify.Parsing;

namespace Ispo.MathVerify.Tests.Parsing;

public class MathParserTests
{
    static Expr Parse(string text) => MathParser.Parse(text, VerifyBudget.Default()) ?? throw new Xunit.Sdk.XunitException($"did not parse: {text}");

    static Value Evaluate(string text) => new Evaluator(VerifyBudget.Default()).Evaluate(Parse(text));

    [Theory]
    [InlineData("42", "42")]
    [InlineData("-7", "-7")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890")]
    [InlineData("0.5", "1/2")]
    [InlineData(".25", "1/4")]
    [InlineData("3/4", "3/4")]
    [InlineData("\\frac{3}{4}", "3/4")]
    [InlineData("\\frac12", "1/2")]
    [InlineData("\\frac1{2}", "1/2")]
    [InlineData("\\dfrac{6}{8}", "3/4")]
    [InlineData("2\\frac{1}{3}", "7/3")]
    [InlineData("-2\\frac{1}{3}", "-7/3")]
    [InlineData("\\sqrt{16}", "4")]
    [InlineData("\\sqrt[3]{27}", "3")]
    [InlineData("\\sqrt[3]{-8}", "-2")]
    [InlineData("8^{2/3}", "4")]
    [InlineData("2^{10}", "1024")]
    [InlineData("2^10", "1024")]
    [InlineData("2^{-2}", "1/4")]
    [InlineData("2^3^2", "512")]
    [InlineData("-2^2", "-4")]
    [InlineData("(-2)^2", "4")]
    [InlineData("5!", "120")]
    [InlineData("0!", "1")]
    [InlineData("\\binom{5}{2}", "10")]
    [InlineData("\\binom{10}{0}", "1")]
    [InlineData("2 \\cdot 3", "6")]
    [InlineData("2 \\times 3", "6")]
    [InlineData("6 \\div 4", "3/2")]
    [InlineData("2*3+4", "10")]
    [InlineData("2+3*4", "14")]
    [InlineData("(2+3)*4", "20")]
    [InlineData("(2)(3)", "6")]
    [InlineData("2(3+1)", "8")]
    [InlineData("1-2-3", "-4")]
    [InlineData("12/3/2", "2")]
    [InlineData("4.5e3", "4500")]
    [InlineData("4.5E-1", "9/20")]
    [InlineData("4.5 \\times 10^{3}", "4500")]
    [InlineData("50\\%", "50")]
    [InlineData("50%", "50")]
    [InlineData("\\left( 1+2 \\right)", "3")]
    [InlineData("{2}^{3}", "8")]
    [InlineData("|-3|", "3")]
    [InlineData("\\lfloor 2.5 \\rfloor", "2")]
    [InlineData("\\lceil 2.5 \\rceil", "3")]
    [InlineData("\\lfloor -2.5 \\rfloor", "-3")]
    [InlineData("30^\\circ", "30")]
    [InlineData("30^{\\circ}", "30")]
    [InlineData("\\textbf{7}", "7")]
    [InlineData("-\\frac{1}{2}", "-1/2")]
    [InlineData("+5", "5")]
    [InlineData("2 \\cdot -3", "-6")]
    [InlineData("027", "27")]
    [InlineData("27.0", "27")]
    [InlineData("52_8", "42")]
    [InlineData("4210_{5}", "555")]
    [InlineData("\\$32", "32")]
    public void ExactValues(string text, string expected)
    {
        var v = Evaluate(text);
        Assert.Equal(ValueKind.Exact, v.Kind);
        Assert.Equal(expected, v.ToString());
    }

    [Theory]
    [InlineData("\\pi", Math.PI)]
    [InlineData("2\\pi", 2 * Math.PI)]
    [InlineData("e", Math.E)]
    [InlineData("e^{2}", Math.E * Math.E)]
    [InlineData("\\sqrt{2}", 1.4142135623730951)]
    [InlineData("2\\sqrt{3}", 3.4641016151377544)]
    [InlineData("\\sqrt2", 1.4142135623730951)]
    [InlineData("\\sin(\\pi/6)", 0.5)]
    [InlineData("\\sin \\frac{\\pi}{6}", 0.5)]
    [InlineData("\\cos 0", 1.0)]
    [InlineData("\\tan\\frac{\\pi}{4}", 1.0)]
    [InlineData("\\arcsin 1", Math.PI / 2)]
    [InlineData("\\sin^{-1}(1)", Math.PI / 2)]
    [InlineData("\\sin^2 x", double.NaN)]
    [InlineData("\\log_{2} 8", 3.0)]
    [InlineData("\\log_2 8", 3.0)]
    [InlineData("\\ln e", 1.0)]
    [InlineData("\\exp(1)", Math.E)]
    [InlineData("\\sqrt{2}^2", 2.0)]
    [InlineData("sqrt(2)", 1.4142135623730951)]
    [InlineData("sin(pi/2)", 1.0)]
    [InlineData("\\frac{\\sqrt{3}}{2}", 0.8660254037844386)]
    [InlineData("\\operatorname{arctan} 1", Math.PI / 4)]
    [InlineData("\\cos^2\\frac{\\pi}{3}", 0.25)]
    [InlineData("\\sqrt[4]{2}", 1.189207115002721)]
    [InlineData("3^{0.5}", 1.7320508075688772)]
    [InlineData("\\sqrt{8}\\sqrt{2}", 4.0)]
    public void ApproximateValues(string text, double expected)
    {
        if (double.IsNaN(expected)) { Assert.IsType<Binary>(Parse(text)); return; }
        var v = Evaluate(text);
        Assert.True(v.IsFinite, $"{text} → {v}");
        Assert.Equal(expected, v.AsComplex.Real, 12);
        Assert.Equal(0, v.AsComplex.Imaginary, 12);
    }

    [Fact]
    public void ImaginaryUnitAndComplexRoots()
    {
        Assert.Equal(-1, Evaluate("i^2").AsComplex.Real, 12);
        var root = Evaluate("\\sqrt{-4}").AsComplex;
        Assert.Equal(0, root.Real, 12);
        Assert.Equal(2, root.Imaginary, 12);
        Assert.Equal(25, Evaluate("(3+4i)(3-4i)").AsComplex.Real, 12);
    }

    [Theory]
    [InlineData("x_1", "x_1")]
    [InlineData("a_{n}", "a_n")]
    [InlineData("a_{12}", "a_12")]
    [InlineData("\\alpha", "alpha")]
    [InlineData("\\theta_0", "theta_0")]
    [InlineData("y", "y")]
    public void Variables(string text, string name) => Assert.Equal(new Variable(name), Parse(text));

    [Theory]
    [InlineData("2x", BinaryOp.Mul)]
    [InlineData("xy", BinaryOp.Mul)]
    [InlineData("2\\pi r", BinaryOp.Mul)]
    [InlineData("x^2+1", BinaryOp.Add)]
    [InlineData("\\frac{x}{y}", BinaryOp.Div)]
    [InlineData("x-1", BinaryOp.Sub)]
    public void BinaryShapes(string text, BinaryOp op) => Assert.Equal(op, Assert.IsType<Binary>(Parse(text)).Op);

    [Fact]
    public void SetsTuplesIntervalsAndLists()
    {
        Assert.Equal(2, Assert.IsType<SetOf>(Parse("\\{1,2\\}")).Items.Count);
        Assert.Empty(Assert.IsType<SetOf>(Parse("\\emptyset")).Items);
        Assert.Empty(Assert.IsType<SetOf>(Parse("\\{\\}")).Items);
        var tuple = Assert.IsType<Sequence>(Parse("(1,2)"));
        Assert.Equal(('(', ')'), (tuple.Open, tuple.Close));
        var interval = Assert.IsType<Sequence>(Parse("[a,\\infty)"));
        Assert.Equal(('[', ')'), (interval.Open, interval.Close));
        Assert.Equal(('(', ']'), (Assert.IsType<Sequence>(Parse("(1, 2]")).Open, Assert.IsType<Sequence>(Parse("(1, 2]")).Close));
        Assert.True(Assert.IsType<Sequence>(Parse("1, 2, 3")).IsBareList);
        Assert.Equal(2, Assert.IsType<Union>(Parse("(-\\infty, 1) \\cup (2, \\infty)")).Items.Count);
        Assert.Equal(3, Assert.IsType<Sequence>(Parse("(1, 2, 3)")).Items.Count);
    }

    [Fact]
    public void Matrices()
    {
        var m = Assert.IsType<Matrix>(Parse("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}"));
        Assert.Equal(2, m.Rows.Count);
        Assert.Equal(2, m.Rows[1].Count);
        var column = Assert.IsType<Matrix>(Parse("\\begin{bmatrix} 1 \\\\ -2 \\\\ 3 \\end{bmatrix}"));
        Assert.Equal(3, column.Rows.Count);
        Assert.Null(MathParser.Parse("\\begin{pmatrix} 1 & 2 \\\\ 3 \\end{pmatrix}", VerifyBudget.Default()));
    }

    [Fact]
    public void RelationsAndPlusMinus()
    {
        var eq = Assert.IsType<Relation>(Parse("y = 2x + 1"));
        Assert.Equal([RelationOp.Eq], eq.Ops);
        var chain = Assert.IsType<Relation>(Parse("1 < x \\le 2"));
        Assert.Equal([RelationOp.Lt, RelationOp.Le], chain.Ops);
        Assert.Equal([RelationOp.Ge], Assert.IsType<Relation>(Parse("x \\geq 3")).Ops);
        Assert.Equal([RelationOp.Ne], Assert.IsType<Relation>(Parse("x \\neq 3")).Ops);
        Assert.Equal([RelationOp.In], Assert.IsType<Relation>(Parse("x \\in [1,2]")).Ops);
        Assert.Null(Assert.IsType<PlusMinus>(Parse("\\pm 3")).Left);
        Assert.NotNull(Assert.IsType<PlusMinus>(Parse("1 \\pm \\sqrt{2}")).Left);
    }

    [Theory]
    [InlineData("\\text{Evelyn}", "Evelyn")]
    [InlineData("\\text{no solution}", "no solution")]
    [InlineData("\\mathbb{Z}", "Z")]
    public void TextAtoms(string text, string value) => Assert.Equal(new Text(value), Parse(text));

    [Theory]
    [InlineData("")]
    [InlineData("(")]
    [InlineData("1+")]
    [InlineData("\\frac{1}")]
    [InlineData("(1,2")]
    [InlineData("\\unknowncommand")]
    [InlineData("1 2)")]
    [InlineData("[1)")]
    public void Unparseable(string text) => Assert.Null(MathParser.Parse(text, VerifyBudget.Default()));
}
