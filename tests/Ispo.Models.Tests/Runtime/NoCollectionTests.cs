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

    [Fact]
    public void AHeldRegionReopensOnlyOnceHalfItsBudgetIsAllocated()
    {
        int fullBefore = GC.CollectionCount(2);
        using (NoCollection.Held region = NoCollection.Hold(budgetBytes: 8L << 20))
        {
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
            int opened = GC.CollectionCount(2);
            for (int i = 0; i < 50; i++)
            {
                GC.KeepAlive(new byte[1024]);
                region.Renew();
            }
            Assert.Equal(opened, GC.CollectionCount(2)); // 50 renewals within budget: no collection
            Assert.Equal(0, region.Reopened);
            for (int i = 0; i < 80; i++) GC.KeepAlive(new byte[64 * 1024]); // 5 MiB: past half of 8 MiB
            region.Renew();
            Assert.Equal(1, region.Reopened);
            Assert.Equal(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        }
        Assert.NotEqual(GCLatencyMode.NoGCRegion, GCSettings.LatencyMode);
        Assert.True(GC.CollectionCount(2) > fullBefore);
    }
}
