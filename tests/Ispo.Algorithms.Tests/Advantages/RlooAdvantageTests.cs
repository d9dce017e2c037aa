using static TorchSharp.torch;

namespace Ispo.Algorithms.Tests;

public class RlooAdvantageTests
{
    static double[] Run(float[] r, int g, RlooOptions? o = null) => Batches.Values(new RlooAdvantage(o ?? new RlooOptions()).Compute(tensor(r), g));

    [Fact]
    public void BaselineIsTheMeanOfTheOthers()
    {
        Assert.Equal([1, -1.0 / 3, -1.0 / 3, -1.0 / 3], Run([1, 0, 0, 0], 4), (x, y) => Math.Abs(x - y) < 1e-6);
    }

    [Fact]
    public void GroupOfOneAndEqualGroupsGetZero()
    {
        Assert.All(Run([1, 0], 1), x => Assert.Equal(0.0, x));
        Assert.All(Run([1, 1, 0, 0], 2), x => Assert.Equal(0.0, x));
    }

    [Theory]
    [InlineData(AdvantageScaling.None)]
    [InlineData(AdvantageScaling.Batch)]
    [InlineData(AdvantageScaling.Group)]
    public void MatchesTheLoopReference(AdvantageScaling scaling)
    {
        var rng = new Random(11);
        float[] r = Enumerable.Range(0, 36).Select(_ => (float)rng.NextDouble()).ToArray();
        double[] expected = Reference.Grpo(r.Select(x => (double)x).ToArray(), 6, scaling, 1e-6, leaveOneOut: true);
        Assert.Equal(expected, Run(r, 6, new RlooOptions { Scale = scaling }), (x, y) => Math.Abs(x - y) < 1e-5);
    }
}
