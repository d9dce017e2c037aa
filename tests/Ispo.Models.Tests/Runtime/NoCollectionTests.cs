using System.Runtime;
using Ispo.Models.Runtime;

namespace Ispo.Models.Tests.Runtime;

[CollectionDefinition(nameof(NoCollectionTests), DisableParallelization = true)] // the GC is process-wide
public class NoCollectionTestsCollection;

[Collection(nameof(NoCollectionTests))]
public class NoCollectionTests
{
    [Fact]
    public void NoCollectionRunsWhileTheBodyAllocatesWithinBudget()
    {
        (GCLatencyMode mode, int collections) = NoCollection.Run(() =>
        {
            int before = GC.CollectionCount(0);
            var garbage = new List<byte[]>();
            for (int i = 0; i < 200; i++) garbage.Add(new byte[16 * 1024]); // ~3 MiB
            return (GCSettings.LatencyMode, GC.CollectionCount(0) - before);
        });
        Assert.Equal(GCLatencyMode.NoGCRegion, mode);
        Assert.Equal(0, collections);
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }

    [Fact]
    public void ExceptionsLeaveTheRegion()
    {
        Assert.Throws<InvalidOperationException>(() => NoCollection.Run<int>(() => throw new InvalidOperationException("boom")));
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
    }
}
