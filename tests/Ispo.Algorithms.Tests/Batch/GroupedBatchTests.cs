using static TorchSharp.torch;

namespace Ispo.Algorithms.Tests;

public class GroupedBatchTests
{
    static GroupedBatch Batch() => Batches.From(2, Batches.RandomRows(new Random(1), 6, 5));

    [Fact]
    public void ValidateNamesTheMissingOrMisshapedField()
    {
        var batch = Batch() with { BaseLogProbs = null };
        var missing = Assert.Throws<ArgumentException>(() => batch.Validate(BatchInputs.BaseLogProbs));
        Assert.Contains("BaseLogProbs", missing.Message);
        var shape = Assert.Throws<ArgumentException>(() => (Batch() with { OutcomeRewards = zeros(5) }).Validate());
        Assert.Contains("OutcomeRewards must have shape [6]", shape.Message);
        Assert.Throws<ArgumentException>(() => (Batch() with { GroupSize = 4 }).Validate());
        batch.Validate(BatchInputs.Entropies | BatchInputs.AblatedAnswer | BatchInputs.Truncation);
    }

    [Fact]
    public void SelectGroupsKeepsWholeGroupsInOrder()
    {
        var batch = Batch();
        var kept = batch.SelectGroups(tensor(new[] { true, false, true }));
        Assert.Equal(4, kept.Rows);
        Assert.True(kept.OldLogProbs.equal(batch.OldLogProbs.index_select(0, tensor(new long[] { 0, 1, 4, 5 }))).all().item<bool>());
        Assert.True(kept.Truncated!.equal(batch.Truncated!.index_select(0, tensor(new long[] { 0, 1, 4, 5 }))).all().item<bool>());
    }

    [Fact]
    public void SelectRowsMakesAValidLossMiniBatch()
    {
        var rows = Batch().SelectRows(tensor(new long[] { 1, 2, 5 }));
        Assert.Equal(1, rows.GroupSize);
        rows.Validate(BatchInputs.Entropies | BatchInputs.BaseLogProbs);
        Assert.True(rows.OldLogProbs[2].equal(Batch().OldLogProbs[5]).all().item<bool>());
    }

    [Fact]
    public void AlgorithmsReferenceNoOtherIspoProject()
    {
        var references = typeof(GroupedBatch).Assembly.GetReferencedAssemblies().Select(a => a.Name!).ToArray();
        Assert.DoesNotContain(references, name => name.StartsWith("Ispo.", StringComparison.Ordinal));
        Assert.Contains("TorchSharp", references);
    }

    [Fact]
    public void LossMaskDropsTruncatedRowsOnlyWhenAsked()
    {
        var batch = Batches.From(2, new Row(1, [0, 0], [0, 0], [0, 0], [false, false], [0, 0]),
                                    new Row(0, [0], [0], [0], [false], [0], Truncated: true));
        Assert.Equal([1, 1, 1, 0], Batches.Values(batch.LossMask(false)));
        Assert.Equal([1, 1, 0, 0], Batches.Values(batch.LossMask(true)));
        Assert.Equal([2, 1], Batches.Values(batch.ResponseLengths()));
    }
}
