using Ispo.Training.Runs;

namespace Ispo.Training.Tests.Runs;

public class TrainerStateTests
{
    [Fact]
    public void SavesAndLoadsInsideACheckpoint()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Path, keepLast: 1);
        var state = new TrainerState(12, 96, 1);
        store.Save(12, d => state.Save(d));
        TrainerState loaded = TrainerState.Load(store.Latest()!);
        Assert.Equal((12, 96L, 1), (loaded.Step, loaded.DataCursor, loaded.ConsecutiveNonFinite));
        Assert.Throws<FileNotFoundException>(() => TrainerState.Load(dir.Path));
    }
}
