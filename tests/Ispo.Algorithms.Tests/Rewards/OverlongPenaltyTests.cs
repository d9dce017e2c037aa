using static TorchSharp.torch;

namespace Ispo.Algorithms.Tests;

public class OverlongPenaltyTests
{
    static Row OfLength(int n) => new(1, new double[n], new double[n], new double[n], new bool[n], new double[n]);

    [Fact]
    public void LinearInTheCacheWindowThenMinusOne()
    {
        var batch = Batches.From(1, OfLength(6), OfLength(8), OfLength(10), OfLength(11));
        var shaper = new OverlongPenalty(new OverlongPenaltyOptions { CacheLength = 4 }, new ComponentContext(MaxNewTokens: 10));
        var shaped = shaper.Shape(batch, batch.OutcomeRewards);
        Assert.Equal([1, 0.5, 0, 0], Batches.Values(shaped.Rewards), (x, y) => Math.Abs(x - y) < 1e-6);   // 0, (6 − 8)/4, −1, −1
        Assert.Equal(-2.5 / 4, shaped.Metrics["overlong/penalty_mean"], 6);
        Assert.Throws<ArgumentException>(() => new OverlongPenalty(new OverlongPenaltyOptions { CacheLength = 10 }, new ComponentContext(MaxNewTokens: 10)));
        Assert.Throws<ArgumentException>(() => new OverlongPenalty(new OverlongPenaltyOptions(), new ComponentContext()));   // L_max unknown
    }
}
