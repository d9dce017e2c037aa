// Equivalence rules of VERIFIER.md, one row per case: (gold, prediction) → equal or not.
namespace Ispo.MathVerify.Tests.Equivalence;

public class MathEquivalenceTests
{
    static EquivalenceOutcome Compare(string gold, string pred, EquivalenceOptions? options = null) =>
        MathEquivalence.Compare(gold, pred, options ?? EquivalenceOptions.Default, VerifyBudget.Default());

    [Theory]
    // issue 17: an inequality with both sides negated, an indexed label on the gold
    [InlineData("x < 1", "-x > -1")]
    [InlineData("x <= 1", "-x >= -1")]
    [InlineData("y_1 = -2x^2 + 4x + 3", "-2(x - 1)^2 + 5")]
    [InlineData("0<f(x)<1", "(0,1)")]
    // numbers in different forms
    [InlineData("\\frac{1}{2}", "0.5")]
    [InlineData("\\frac{1}{2}", "1/2")]
    [InlineData("\\frac{1}{2}", "2/4")]
    [InlineData("\\frac{1}{2}", "0.50")]
    [InlineData("\\frac{1}{2}", "\\frac12")]
    [InlineData("\\frac{1}{2}", "\\frac{2}{4}")]
    [InlineData("0.5", "\\frac{1}{2}")]
    [InlineData("27", "27.0")]
    [InlineData("25", "025")]
    [InlineData("-3", "-3.00")]
    [InlineData("\\frac{-1}{2}", "-\\frac{1}{2}")]
    [InlineData("-\\frac{1}{2}", "\\frac{1}{-2}")]
    [InlineData("7/3", "2\\frac{1}{3}")]
    [InlineData("1000000", "10^6")]
    [InlineData("4.5e33", "4.5 \\times 10^{33}")]
    [InlineData("4.5 \\times 10^{33}", "45 \\cdot 10^{32}")]
    [InlineData("0.001", "10^{-3}")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567890.0")]
    [InlineData("\\frac{1}{2004!}", "\\frac{1}{2004!}")]
    [InlineData("120", "5!")]
    [InlineData("10", "\\binom{5}{2}")]
    [InlineData("10", "\\dbinom{5}{3}")]
    // radicals, π, e, trig, logs
    [InlineData("2\\sqrt{2}", "\\sqrt{8}")]
    [InlineData("\\sqrt{8}", "2\\sqrt2")]
    [InlineData("\\frac{\\sqrt{2}}{2}", "\\frac{1}{\\sqrt{2}}")]
    [InlineData("\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt{3}}")]
    [InlineData("3\\sqrt{3}", "\\sqrt{27}")]
    [InlineData("\\sqrt[3]{16}", "2\\sqrt[3]{2}")]
    [InlineData("2\\pi", "\\pi \\cdot 2")]
    [InlineData("\\frac{\\pi}{2}", "0.5\\pi")]
    [InlineData("\\pi/4", "\\arctan 1")]
    [InlineData("\\frac{1}{2}", "\\sin(\\pi/6)")]
    [InlineData("\\frac{1}{2}", "\\cos\\frac{\\pi}{3}")]
    [InlineData("0", "\\sin \\pi")]
    [InlineData("3", "\\log_2 8")]
    [InlineData("2", "\\log_{3} 9")]
    [InlineData("1", "\\ln e")]
    [InlineData("e^2", "\\exp(2)")]
    [InlineData("1 - \\frac{1}{e}", "\\frac{e-1}{e}")]
    [InlineData("\\frac{\\pi}{6}", "\\sin^{-1}\\frac{1}{2}")]
    [InlineData("\\frac{\\pi}{6}", "\\arcsin(0.5)")]
    [InlineData("5+2\\sqrt{6}", "(\\sqrt{2}+\\sqrt{3})^2")]
    [InlineData("4", "\\sqrt{16}")]
    [InlineData("-\\sqrt[3]{\\pi}", "\\sqrt[3]{-\\pi}")]
    [InlineData("\\sqrt[3]{\\pi^2}", "(-\\pi)^{2/3}")]
    [InlineData("\\sqrt{3}/2", "\\frac{\\sqrt3}{2}")]
    [InlineData("i", "\\sqrt{-1}")]
    [InlineData("3+4i", "4i+3")]
    [InlineData("-1", "i^2")]
    [InlineData("2-i", "\\frac{5}{2+i}")]
    // decimal rounding rule (n ≥ 2 places, one side not a decimal)
    [InlineData("\\frac{1}{3}", "0.33")]
    [InlineData("\\frac{1}{3}", "0.333")]
    [InlineData("\\frac{2}{3}", "0.67")]
    [InlineData("\\pi", "3.14")]
    [InlineData("\\pi", "3.1416")]
    [InlineData("0.33", "\\frac{1}{3}")]
    [InlineData("\\sqrt{2}", "1.414")]
    [InlineData("\\sqrt{2}", "1.41421356")]
    // free variables
    [InlineData("2x+1", "1+2x")]
    [InlineData("x^2-1", "(x-1)(x+1)")]
    [InlineData("\\frac{x}{2}", "0.5x")]
    [InlineData("\\frac{1}{x}+\\frac{1}{y}", "\\frac{x+y}{xy}")]
    [InlineData("(a+b)^2", "a^2+2ab+b^2")]
    [InlineData("2\\sin x\\cos x", "\\sin 2x")]
    [InlineData("e^{2x}", "(e^x)^2")]
    [InlineData("x_1 + x_2", "x_2 + x_1")]
    [InlineData("a_{n}", "a_n")]
    [InlineData("\\sqrt{x}\\sqrt{x}", "x")]
    [InlineData("\\frac{x^2-4}{x-2}", "x+2")]
    [InlineData("2\\pi r", "2r\\pi")]
    [InlineData("\\ln(e^x)", "x")]
    [InlineData("n(n+1)/2", "\\frac{n^2+n}{2}")]
    [InlineData("\\binom{4}{2}x^2", "6x^2")]
    // sets, tuples, lists, ±
    [InlineData("\\{1,2\\}", "\\{2,1\\}")]
    [InlineData("\\{1,2,3\\}", "\\{3, 2, 1\\}")]
    [InlineData("1, 2", "2, 1")]
    [InlineData("1, 2", "\\{1, 2\\}")]
    [InlineData("\\{1,2\\}", "2, 1")]
    [InlineData("(1,2)", "(1, 2)")]
    [InlineData("(1,2)", "(\\frac{2}{2}, \\sqrt{4})")]
    [InlineData("(3, -1)", "(3,-1)")]
    [InlineData("\\pm 3", "3, -3")]
    [InlineData("\\pm 3", "-3, 3")]
    [InlineData("\\pm 3", "\\{3,-3\\}")]
    [InlineData("1 \\pm \\sqrt{2}", "1+\\sqrt2, 1-\\sqrt2")]
    [InlineData("3, -3", "\\pm 3")]
    [InlineData("\\emptyset", "\\{\\}")]
    [InlineData("\\emptyset", "\\varnothing")]
    [InlineData("1, 2", "x=1, x=2")]
    [InlineData("(1, 2, 3)", "(1,2,3)")]
    [InlineData("\\frac{1}{2}, \\frac{1}{3}", "1/3, 0.5")]
    [InlineData("\\left( \\frac{1}{2}, 3 \\right)", "(0.5, 3)")]
    [InlineData("\\frac{639}{40}", "15\\frac{39}{40}, \\frac{639}{40}")]
    [InlineData("2", "2, 2.0, \\sqrt{4}")]
    // intervals and inequalities
    [InlineData("(1,2]", "(1, 2]")]
    [InlineData("[2,\\infty)", "[2, \\infty)")]
    [InlineData("(-\\infty, 3)", "(-\\infty,3)")]
    [InlineData("(1,2)", "1 < x < 2")]
    [InlineData("1 < x < 2", "(1,2)")]
    [InlineData("[1,2)", "1 \\le x < 2")]
    [InlineData("[3,\\infty)", "x \\geq 3")]
    [InlineData("[3,\\infty)", "x \\ge 3")]
    [InlineData("(-\\infty, 5)", "x < 5")]
    [InlineData("(-\\infty, 5]", "5 \\geq x")]
    [InlineData("x > 3", "3 < x")]
    [InlineData("2 > x > 1", "(1,2)")]
    [InlineData("(-\\infty, 1) \\cup (2, \\infty)", "(2,\\infty) \\cup (-\\infty,1)")]
    [InlineData("(-\\infty,-1] \\cup [1,\\infty)", "(-\\infty, -1] \\cup [1, \\infty)")]
    [InlineData("[\\frac{1}{2}, 3]", "[0.5, 3]")]
    [InlineData("(-\\infty, \\infty)", "\\mathbb{R}")]
    [InlineData("[1,2]", "x \\in [1,2]")]
    // equations
    [InlineData("y = 2x + 1", "2x - y + 1 = 0")]
    [InlineData("y = 2x + 1", "y - 1 = 2x")]
    [InlineData("y = 2x + 1", "2y = 4x + 2")]
    [InlineData("x^2 + y^2 = 1", "y^2 + x^2 - 1 = 0")]
    [InlineData("x = 5", "5")]
    [InlineData("5", "x = 5")]
    [InlineData("x + y = 3", "y = 3 - x")]
    [InlineData("3x+2y-6=0", "y=-\\frac{3}{2}x+3")]
    [InlineData("x \\ne 2", "2 \\neq x")]
    // matrices
    [InlineData("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{bmatrix} 1 & 2 \\\\ 3 & 4 \\end{bmatrix}")]
    [InlineData("\\begin{pmatrix} 1/2 \\\\ 0 \\end{pmatrix}", "\\begin{pmatrix} 0.5 \\\\ 0 \\end{pmatrix}")]
    [InlineData("\\begin{pmatrix} \\sqrt{4} & 0 \\\\ 0 & 1 \\end{pmatrix}", "\\begin{pmatrix} 2 & 0 \\\\ 0 & 1 \\end{pmatrix}")]
    // text
    [InlineData("\\text{Evelyn}", "evelyn")]
    [InlineData("Evelyn", "\\text{EVELYN}")]
    [InlineData("Even", "even")]
    [InlineData("\\text{no solution}", "No Solution")]
    [InlineData("(C)", "C")]
    [InlineData("No", "no")]
    [InlineData("Yes", "YES")]
    [InlineData("\\text{(C)}", "(C)")]
    // percentages
    [InlineData("50\\%", "50")]
    [InlineData("50", "50\\%")]
    [InlineData("12.5\\%", "12.5%")]
    // degrees left over
    [InlineData("30", "30^\\circ")]
    [InlineData("90^{\\circ}", "90")]
    // numbers in another base, dollars, primes and accents
    [InlineData("52_8", "52_{8}")]
    [InlineData("52_8", "052_8")]
    [InlineData("52_8", "52")]
    [InlineData("4210_{5}", "4210_5")]
    [InlineData("36", "40_9")]
    [InlineData("\\$36", "36")]
    [InlineData("\\$18.90", "18.9")]
    [InlineData("y^{\\prime}+r y=0", "y' + ry = 0")]
    [InlineData("\\dot{x}_{0}", "\\dot{x}_0")]
    [InlineData("\\frac{a}{\\lambda^{5}\\left[e^{h}-1\\right]}", "\\frac{a}{\\lambda^5 (e^h - 1)}")]
    // conjunctions, unit words, scientific roundings, real-only functions
    [InlineData("1, 2", "1 \\text{ and } 2")]
    [InlineData("1, 2", "1 and 2")]
    [InlineData("1, 2, 3", "1, 2, and 3")]
    [InlineData("(-\\infty,1)\\cup(2,\\infty)", "x<1 \\text{ or } x>2")]
    [InlineData("x<1 \\text{ or } x>2", "(-\\infty,1)\\cup(2,\\infty)")]
    [InlineData("5", "5\\text{ cm}")]
    [InlineData("25", "25 \\text{ cm}^2")]
    [InlineData("2^{100}", "1.27 \\times 10^{30}")]
    [InlineData("2^{100}", "1.27e30")]
    [InlineData("-2^{100}", "-1.268e30")]
    [InlineData("\\lfloor x \\rfloor + 1", "1 + \\lfloor x \\rfloor")]
    // spacing and sizing commands
    [InlineData("\\frac{1}{2}", "\\left(\\frac{1}{2}\\right)")]
    [InlineData("2\\sqrt{3}", "2 \\, \\sqrt{3}")]
    [InlineData("6", "\\displaystyle 6")]
    public void Equal(string gold, string pred) => Assert.Equal(EquivalenceOutcome.Equal, Compare(gold, pred));

    [Theory]
    // the references' known false positives
    [InlineData("1 - \\frac{1}{e}", "1 + \\frac{1}{e}")]
    [InlineData("\\frac{1}{2004!}", "\\frac{1}{2006!}")]
    [InlineData("y = 2x + 1", "y = 3x + 1")]
    [InlineData("y = 2x + 1", "y = 2x - 1")]
    [InlineData("2x + 3y = 6", "3x + 2y = 6")]
    [InlineData("(1,2)", "[1,2]")]
    [InlineData("[1,2]", "(1,2)")]
    [InlineData("(1,2]", "[1,2)")]
    [InlineData("(1,2)", "\\{1,2\\}")]
    [InlineData("\\{1,2\\}", "(1,2)")]
    // plain wrong numbers
    [InlineData("1", "2")]
    [InlineData("\\frac{1}{2}", "\\frac{1}{3}")]
    [InlineData("1000000", "1000001")]
    [InlineData("123456789012345678901234567890", "123456789012345678901234567891")]
    [InlineData("0.5", "0.46")]
    [InlineData("0.5", "0.49")]
    [InlineData("\\frac{1}{3}", "0.3")]
    [InlineData("\\frac{1}{3}", "0.34")]
    [InlineData("\\frac{1}{3}", "0.3333334")]
    [InlineData("\\pi", "3")]
    [InlineData("\\pi", "3.15")]
    [InlineData("3", "\\pi")]
    [InlineData("\\sqrt{2}", "1.4")]
    [InlineData("2\\sqrt{2}", "2\\sqrt{3}")]
    [InlineData("\\sqrt{2}", "\\sqrt{3}")]
    [InlineData("-3", "3")]
    [InlineData("e", "\\pi")]
    [InlineData("i", "-i")]
    [InlineData("2^{100}", "2^{100}+1")]
    [InlineData("\\frac{\\pi}{3}", "\\frac{\\pi}{6}")]
    [InlineData("5!", "24")]
    // variables
    [InlineData("2x+1", "2x-1")]
    [InlineData("x^2", "x^3")]
    [InlineData("x", "y")]
    [InlineData("2x", "2y")]
    [InlineData("x+y", "x")]
    [InlineData("\\sqrt{x^2}", "x")]
    [InlineData("\\frac{x}{2}", "2x")]
    [InlineData("a_1", "a_2")]
    [InlineData("(x+1)^2", "x^2+1")]
    [InlineData("x^{100}", "x^{100}+1")]
    [InlineData("x^{60}", "x^{60}+x")]
    // sets, tuples, lists
    [InlineData("\\{1,2\\}", "\\{1,3\\}")]
    [InlineData("\\{1,2\\}", "\\{1,2,3\\}")]
    [InlineData("(1,2)", "(2,1)")]
    [InlineData("(1,2,3)", "(1,2)")]
    [InlineData("1, 2", "1, 3")]
    [InlineData("1, 2", "1")]
    [InlineData("\\pm 3", "3")]
    [InlineData("\\pm 3", "-3")]
    [InlineData("3", "\\pm 3")]
    [InlineData("1 \\pm \\sqrt{2}", "1+\\sqrt{2}")]
    [InlineData("\\emptyset", "\\{0\\}")]
    [InlineData("\\{3\\}", "3")]
    [InlineData("2", "2, 3")]
    [InlineData("2", "3, 2")]
    // intervals and inequalities
    [InlineData("(1,2)", "1 \\le x < 2")]
    [InlineData("[3,\\infty)", "x > 3")]
    [InlineData("(-\\infty, 5)", "x > 5")]
    [InlineData("x > 3", "x < 3")]
    [InlineData("x > 3", "x \\ge 3")]
    [InlineData("(-\\infty, 1) \\cup (2, \\infty)", "(-\\infty, 1] \\cup (2, \\infty)")]
    [InlineData("(-\\infty, 1) \\cup (2, \\infty)", "(-\\infty, 1)")]
    [InlineData("[0, \\infty)", "(0, \\infty)")]
    [InlineData("(-\\infty, \\infty)", "(0, \\infty)")]
    // equations
    [InlineData("x^2 + y^2 = 1", "x^2 + y^2 = 2")]
    [InlineData("y = x^2", "y = x")]
    [InlineData("x = 5", "6")]
    [InlineData("y = 2x + 1", "2x + 1")]
    [InlineData("x \\ne 2", "x = 2")]
    // matrices
    [InlineData("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}", "\\begin{pmatrix} 1 & 3 \\\\ 2 & 4 \\end{pmatrix}")]
    [InlineData("\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "\\begin{pmatrix} 1 & 2 \\end{pmatrix}")]
    [InlineData("\\begin{pmatrix} 1 & 2 \\end{pmatrix}", "(1, 2)")]
    // text
    [InlineData("\\text{Evelyn}", "Emily")]
    [InlineData("Even", "Odd")]
    [InlineData("Even", "2")]
    [InlineData("(A)", "(B)")]
    [InlineData("No", "On")]
    // scientific roundings need two mantissa places and the right digits; real-only functions
    [InlineData("2^{100}", "1.28 \\times 10^{30}")]
    [InlineData("2^{100}", "1.3e30")]
    [InlineData("2^{100}", "1.27e31")]
    [InlineData("\\lfloor x \\rfloor", "\\lceil x \\rceil")]
    [InlineData("1, 2", "1 \\text{ and } 3")]
    // other bases and primes
    [InlineData("52_8", "42")]
    [InlineData("52_8", "52_9")]
    [InlineData("40", "40_9")]
    [InlineData("y'", "y")]
    // percentages (not a fraction by default)
    [InlineData("50\\%", "0.5")]
    [InlineData("0.5", "50\\%")]
    public void NotEqual(string gold, string pred) => Assert.Equal(EquivalenceOutcome.NotEqual, Compare(gold, pred));

    [Theory]
    [InlineData("50\\%", "0.5")]
    [InlineData("0.5", "50\\%")]
    [InlineData("50\\%", "\\frac{1}{2}")]
    [InlineData("50\\%", "50")]
    public void PercentMayEqualFraction(string gold, string pred) =>
        Assert.Equal(EquivalenceOutcome.Equal, Compare(gold, pred, new EquivalenceOptions { PercentEqualsFraction = true }));

    [Theory]
    [InlineData("(1,2)", "1, 2")]
    [InlineData("\\{3\\}", "3")]
    [InlineData("\\{1,2\\}", "(1,2)")]
    [InlineData("x+y", "x+y+0z")]
    [InlineData("\\sin^2 x + \\cos^2 x", "1")]
    [InlineData("\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix}", "(1, 2)")]
    [InlineData("(1, 2)", "\\begin{pmatrix} 1 & 2 \\end{pmatrix}")]
    public void LenientModeRelaxesStructure(string gold, string pred)
    {
        Assert.Equal(EquivalenceOutcome.NotEqual, Compare(gold, pred));
        Assert.Equal(EquivalenceOutcome.Equal, Compare(gold, pred, new EquivalenceOptions { Strict = false }));
    }

    [Theory]
    [InlineData("\\frac{1}{3}", "0.33")]
    [InlineData("\\pi", "3.14")]
    public void RoundingRuleCanBeDisabled(string gold, string pred) =>
        Assert.Equal(EquivalenceOutcome.NotEqual, Compare(gold, pred, new EquivalenceOptions { MinRoundingPlaces = 0 }));

    [Theory]
    [InlineData(1e-3, "\\pi", "3.1416", true)]
    [InlineData(1e-3, "1000", "1000.5", false)] // exact values never use the tolerance
    [InlineData(1e-3, "\\sqrt{2}", "1.4142", true)]
    [InlineData(1e-9, "\\sqrt{2}", "\\frac{99}{70}", false)]
    [InlineData(1e-3, "\\sqrt{2}", "\\frac{99}{70}", true)]
    public void RelativeToleranceIsConfigurable(double tolerance, string gold, string pred, bool equal) =>
        Assert.Equal(equal ? EquivalenceOutcome.Equal : EquivalenceOutcome.NotEqual,
            Compare(gold, pred, new EquivalenceOptions { RelativeTolerance = tolerance, MinRoundingPlaces = 0 }));

    [Fact]
    public void InvalidOptionsNameTheField()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Compare("1", "1", new EquivalenceOptions { RelativeTolerance = double.NaN }));
        Assert.Equal("RelativeTolerance", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Compare("1", "1", new EquivalenceOptions { RandomPoints = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Compare("1", "1", new EquivalenceOptions { AbsoluteTolerance = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => Compare("1", "1", new EquivalenceOptions { MinRoundingPlaces = -2 }));
    }

    [Fact]
    public void ComparisonIsThreadSafe()
    {
        var pairs = new[] { ("\\frac{1}{2}", "0.5", true), ("x^2-1", "(x-1)(x+1)", true), ("\\{1,2\\}", "\\{1,3\\}", false), ("y=2x+1", "2x-y+1=0", true) };
        Parallel.For(0, 2_000, i =>
        {
            var (gold, pred, equal) = pairs[i % pairs.Length];
            Assert.Equal(equal ? EquivalenceOutcome.Equal : EquivalenceOutcome.NotEqual, Compare(gold, pred));
        });
    }

    [Theory]
    [InlineData("", "1", EquivalenceOutcome.UnparseableGold)]
    [InlineData("\\frac{1}", "1", EquivalenceOutcome.UnparseableGold)]
    [InlineData("1", "\\frac{1}", EquivalenceOutcome.UnparseablePred)]
    [InlineData("1", "((", EquivalenceOutcome.UnparseablePred)]
    [InlineData("\\weird{x}", "\\weird{x}", EquivalenceOutcome.Equal)]
    [InlineData("\\weird{x}", "\\Weird{X}", EquivalenceOutcome.Equal)]
    [InlineData("Evelyn", "((", EquivalenceOutcome.NotEqual)]
    public void UnparseableInputs(string gold, string pred, EquivalenceOutcome expected) => Assert.Equal(expected, Compare(gold, pred));
}
