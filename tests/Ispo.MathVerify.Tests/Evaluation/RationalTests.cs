// Exact rationals: lowest terms, signs, arithmetic, and conversion to double even beyond double's range.
using System.Numerics;
using Ispo.MathVerify.Evaluation;

namespace Ispo.MathVerify.Tests.Evaluation;

public class RationalTests
{
    [Theory]
    [InlineData(2, 4, "1/2")]
    [InlineData(-2, 4, "-1/2")]
    [InlineData(2, -4, "-1/2")]
    [InlineData(-6, -3, "2")]
    [InlineData(0, 5, "0")]
    public void NormalisesToLowestTerms(long num, long den, string expected) =>
        Assert.Equal(expected, new Rational(num, den).ToString());

    [Fact]
    public void Arithmetic()
    {
        var half = new Rational(1, 2);
        var third = new Rational(1, 3);
        Assert.Equal(new Rational(5, 6), half + third);
        Assert.Equal(new Rational(1, 6), half - third);
        Assert.Equal(new Rational(1, 6), half * third);
        Assert.Equal(new Rational(3, 2), half / third);
        Assert.Equal(new Rational(-1, 2), -half);
        Assert.True(third.CompareTo(half) < 0);
        Assert.Throws<DivideByZeroException>(() => new Rational(1, 0));
    }

    [Fact]
    public void ToDoubleHandlesHugeNumeratorsAndDenominators()
    {
        var big = BigInteger.Pow(10, 400);
        Assert.Equal(0.5, new Rational(big, 2 * big).ToDouble(), 15);
        Assert.Equal(1.0, new Rational(BigInteger.One, BigInteger.Pow(10, 300)).ToDouble() * 1e300, 12);
        Assert.Equal(double.PositiveInfinity, new Rational(big).ToDouble());
        Assert.Equal(1.0 / 3, new Rational(1, 3).ToDouble(), 15);
    }

    [Fact]
    public void BitsMeasuresTheLargerPart()
    {
        Assert.Equal(10, new Rational(1, 1023).Bits);
        Assert.Equal(11, new Rational(-1024, 1).Bits);
    }
}
