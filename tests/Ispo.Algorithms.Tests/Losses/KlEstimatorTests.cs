using static TorchSharp.torch;

namespace Ispo.Algorithms.Tests;

public class KlEstimatorTests
{
    [Theory]
    [InlineData(KlEstimator.K1, 0.5)]                                // log π − log π_ref = −1 − (−1.5)
    [InlineData(KlEstimator.K2, 0.125)]                              // ½·0.5²
    [InlineData(KlEstimator.K3, 0.10653065971263342)]                // e^{−0.5} + 0.5 − 1
    public void HandComputed(KlEstimator estimator, double expected)
    {
        double kl = KlEstimators.PerToken(tensor(new[] { -1f }), tensor(new[] { -1.5f }), estimator).item<float>();
        Assert.Equal(expected, kl, 6);
    }

    [Fact]
    public void K3IsClamped()
    {
        Assert.Equal(KlEstimators.K3Clamp, KlEstimators.PerToken(tensor(new[] { -30f }), tensor(new[] { 0f }), KlEstimator.K3).item<float>(), 4);
    }
}
