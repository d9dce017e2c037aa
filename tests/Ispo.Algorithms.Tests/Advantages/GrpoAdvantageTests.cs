using static TorchSharp.torch;

namespace Ispo.Algorithms.Tests;

public class GrpoAdvantageTests
{
    static double[] Run(float[] rewards, int g, GrpoOptions? options = null) =>
        Batches.Values(new GrpoAdvantage(options ?? new GrpoOptions()).Compute(tensor(rewards), g));

    [Fact]
    public void MixedGroupUsesSampleStdPlusEpsilon()
    {
        double a = 0.5 / (Math.Sqrt(1.0 / 3) + 1e-6);    // mean 0.5, sample std √(1/3)
        double[] adv = Run([1, 0, 0, 1], 4);
        Assert.Equal([a, -a, -a, a], adv, (x, y) => Math.Abs(x - y) < 1e-6);
    }

    [Fact]
    public void AllEqualGroupsGetExactlyZero()
    {
        Assert.All(Run([0.7f, 0.7f, 0.7f, 0.7f, 1, 1, 1, 1], 4), x => Assert.Equal(0.0, x));
    }

    [Fact]
    public void GroupOfOneGetsZero()
    {
        Assert.All(Run([1, 0, 1], 1), x => Assert.Equal(0.0, x));
    }

    [Fact]
    public void BatchScalingDividesByTheBatchStd()
    {
        double std = Math.Sqrt(2.0 / 7) + 1e-6;             // 8 rewards, four of them 1
        double[] adv = Run([1, 0, 0, 0, 1, 1, 1, 0], 4, new GrpoOptions { Scale = AdvantageScaling.Batch });
        double[] expected = new[] { .75, -.25, -.25, -.25, .25, .25, .25, -.75 }.Select(x => x / std).ToArray();
        Assert.Equal(expected, adv, (x, y) => Math.Abs(x - y) < 1e-6);
    }

    [Theory]
    [InlineData(AdvantageScaling.Group, 4)]
    [InlineData(AdvantageScaling.Batch, 8)]
    [InlineData(AdvantageScaling.None, 2)]
    [InlineData(AdvantageScaling.Group, 1)]
    public void MatchesTheLoopReference(AdvantageScaling scaling, int g)
    {
        var rng = new Random(7);
        double[] r = Enumerable.Range(0, 48).Select(_ => Math.Round(rng.NextDouble() * 3, 1)).ToArray();
        double[] adv = Run(r.Select(x => (float)x).ToArray(), g, new GrpoOptions { Scale = scaling });
        Assert.Equal(Reference.Grpo(r.Select(x => (double)(float)x).ToArray(), g, scaling, 1e-6), adv, (x, y) => Math.Abs(x - y) < 1e-4);
    }
}
