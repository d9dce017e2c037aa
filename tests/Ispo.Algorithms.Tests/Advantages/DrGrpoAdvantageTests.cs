using static TorchSharp.torch;

namespace Ispo.Algorithms.Tests;

public class DrGrpoAdvantageTests
{
    [Fact]
    public void CentresWithoutScaling()
    {
        double[] adv = Batches.Values(new DrGrpoAdvantage(new DrGrpoOptions()).Compute(tensor(new float[] { 1, 0, 0, 0, 1, 1 }), 2));
        Assert.Equal([0.5, -0.5, 0, 0, 0, 0], adv);
    }

    [Fact]
    public void MatchesTheLoopReference()
    {
        var rng = new Random(3);
        float[] r = Enumerable.Range(0, 40).Select(_ => (float)rng.NextDouble()).ToArray();
        double[] adv = Batches.Values(new DrGrpoAdvantage(new DrGrpoOptions()).Compute(tensor(r), 8));
        Assert.Equal(Reference.Grpo(r.Select(x => (double)x).ToArray(), 8, AdvantageScaling.None, 0), adv, (x, y) => Math.Abs(x - y) < 1e-6);
    }
}
