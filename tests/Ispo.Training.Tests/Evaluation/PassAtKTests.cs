using System.Numerics;
using Ispo.Training.Evaluation;

namespace Ispo.Training.Tests.Evaluation;

public class PassAtKTests
{
    [Theory]
    [InlineData(2, 1, 1, 0.5)]
    [InlineData(4, 1, 2, 0.5)]               // 1 − C(3,2)/C(4,2) = 1 − 3/6
    [InlineData(5, 2, 2, 0.7)]               // 1 − C(3,2)/C(5,2) = 1 − 3/10
    [InlineData(16, 3, 4, 1105.0 / 1820)]    // 1 − C(13,4)/C(16,4) = 1 − 715/1820
    [InlineData(10, 0, 5, 0.0)]
    [InlineData(10, 6, 5, 1.0)]              // fewer than k wrong samples: always a hit
    [InlineData(32, 8, 1, 0.25)]             // pass@1 is the fraction correct
    public void Matches_hand_values(int n, int c, int k, double expected)
    {
        Assert.Equal(expected, PassAtK.Estimate(n, c, k), 12);
    }

    [Fact]
    public void Product_form_equals_the_exact_binomial_ratio()
    {
        for (int n = 1; n <= 40; n++)
            for (int c = 0; c <= n; c++)
                for (int k = 1; k <= n; k++)
                {
                    double exact = 1.0 - (double)Binomial(n - c, k) / (double)Binomial(n, k);
                    Assert.Equal(exact, PassAtK.Estimate(n, c, k), 10);
                }
    }

    [Fact]
    public void Large_n_stays_finite()
    {
        double value = PassAtK.Estimate(1000, 1, 500);
        Assert.Equal(0.5, value, 12);
    }

    [Fact]
    public void Invalid_arguments_are_errors()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(4, 1, 5));
        Assert.Throws<ArgumentOutOfRangeException>(() => PassAtK.Estimate(4, 5, 1));
    }

    [Theory]
    [InlineData(1, new[] { 1 })]
    [InlineData(5, new[] { 1, 2, 4, 5 })]
    [InlineData(16, new[] { 1, 2, 4, 8, 16 })]
    public void Reported_ks_are_powers_of_two_and_k(int samples, int[] expected)
    {
        Assert.Equal(expected, PassAtK.ReportedKs(samples));
    }

    static BigInteger Binomial(int n, int k)
    {
        if (k > n) return BigInteger.Zero;
        BigInteger result = BigInteger.One;
        for (int i = 1; i <= k; i++)
            result = result * (n - k + i) / i;
        return result;
    }
}
