using static TorchSharp.torch;

namespace Ispo.Algorithms.Tests;

public class KlRewardPenaltyTests
{
    [Fact]
    public void SubtractsTheSummedTokenKl()
    {
        var batch = Batches.From(2, new Row(1, [-1, -1], [0, 0], [-1.5, -1.5], [false, false], [0, 0]),
                                    new Row(0, [-1], [0], [-1.5], [false], [0]));
        var penalty = new KlRewardPenalty(new KlRewardPenaltyOptions { Coef = 0.1 });
        Assert.Equal(BatchInputs.BaseLogProbs, penalty.Needs);
        Assert.Equal([1 - 0.1, -0.05], Batches.Values(penalty.Shape(batch, batch.OutcomeRewards).Rewards), (x, y) => Math.Abs(x - y) < 1e-6);
    }

    [Fact]
    public void ZeroCoefficientIsANoOpThatNeedsNothing()
    {
        var penalty = new KlRewardPenalty(new KlRewardPenaltyOptions());
        var batch = Batches.From(1, new Row(1, [-1], [0], [-1.5], [false], [0])) with { BaseLogProbs = null };
        Assert.Equal(BatchInputs.None, penalty.Needs);
        Assert.Equal([1.0], Batches.Values(penalty.Shape(batch, batch.OutcomeRewards).Rewards));
    }
}
