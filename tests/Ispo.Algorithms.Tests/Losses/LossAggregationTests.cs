using static TorchSharp.torch;

namespace Ispo.Algorithms.Tests;

public class LossAggregationTests
{
    // row 0: tokens 1, 2, 3; row 1: token 6 (then padding 100 that must not count); row 2: empty
    static readonly float[,] Loss = { { 1, 2, 3 }, { 6, 100, 100 }, { 100, 100, 100 } };
    static readonly float[,] Mask = { { 1, 1, 1 }, { 1, 0, 0 }, { 0, 0, 0 } };

    [Theory]
    [InlineData(LossAggregation.TokenMean, 0, 12.0 / 4)]
    [InlineData(LossAggregation.SeqMeanTokenMean, 0, (2.0 + 6) / 2)]
    [InlineData(LossAggregation.SeqMeanTokenSum, 0, (6.0 + 6) / 2)]
    [InlineData(LossAggregation.SeqMeanTokenSumNorm, 0, 12.0 / (3 * 3))]
    [InlineData(LossAggregation.SeqMeanTokenSumNorm, 8, 12.0 / (3 * 8))]
    public void HandComputed(LossAggregation mode, int normLength, double expected)
    {
        double value = LossAggregator.Aggregate(tensor(Loss), tensor(Mask), mode, normLength).item<float>();
        Assert.Equal(expected, value, 5);
    }
}
