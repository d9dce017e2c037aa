using static TorchSharp.torch;

namespace Ispo.Algorithms.Tests;

public class DynamicSamplingFilterTests
{
    static GroupedBatch Batch(float[] outcomes) => new()
    {
        GroupSize = 2, ResponseMask = ones(outcomes.Length, 1), OutcomeRewards = tensor(outcomes), OldLogProbs = zeros(outcomes.Length, 1),
    };

    [Fact]
    public void KeepsGroupsWithSpreadByOutcomeOrByReward()
    {
        var batch = Batch([1, 0, 1, 1, 0, 0]);
        var final = tensor(new float[] { 1, 0, 1.2f, 1, 0, 0 });
        var byOutcome = new DynamicSamplingFilter(new DynamicSamplingOptions()).KeepGroups(batch, final);
        var byReward = new DynamicSamplingFilter(new DynamicSamplingOptions { By = GroupVarianceSource.Reward }).KeepGroups(batch, final);
        Assert.Equal([true, false, false], byOutcome.data<bool>().ToArray());
        Assert.Equal([true, true, false], byReward.data<bool>().ToArray());
    }
}
