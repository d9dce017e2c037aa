namespace Ispo.Algorithms.Tests;

public class MetricsBagTests
{
    [Fact]
    public void MergeOverwritesAndKeysAreSorted()
    {
        var bag = new MetricsBag();
        bag.Set("reward", 1);
        bag.Set("entropy", 2);
        bag.Merge(new Dictionary<string, double> { ["reward"] = 3 });
        Assert.Equal(["entropy", "reward"], bag.Keys);
        Assert.Equal(3, bag["reward"]);
    }
}
