using Ispo.Training.Runs;

namespace Ispo.Training.Tests.Runs;

public class CheckpointStoreTests
{
    static void WriteStep(string dir, int step) => File.WriteAllText(Path.Combine(dir, "state.txt"), step.ToString());

    [Fact]
    public void KeepsTheLastKAndPointsLatestAtTheNewest()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Path, keepLast: 2);
        foreach (int step in new[] { 10, 20, 30 }) store.Save(step, d => WriteStep(d, step));
        Assert.Equal([20, 30], store.Steps());
        Assert.Equal(store.PathOf(30), store.Latest());
        Assert.Equal("30", File.ReadAllText(Path.Combine(store.Latest()!, "state.txt")));
        Assert.Equal("step-30", File.ReadAllText(Path.Combine(dir.Path, CheckpointStore.LatestFile)).Trim());
    }

    [Fact]
    public void AFailedSaveLeavesThePreviousCheckpointLatestAndNoTempFolder()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Path, keepLast: 3);
        store.Save(1, d => WriteStep(d, 1));
        Assert.Throws<IOException>(() => store.Save(2, d => { WriteStep(d, 2); throw new IOException("disk full"); }));
        Assert.Equal([1], store.Steps());
        Assert.Equal(store.PathOf(1), store.Latest());
        Assert.Equal(2, Directory.GetFileSystemEntries(dir.Path).Length);  // step-1 and latest
    }

    [Fact]
    public void ResavingAStepReplacesItAndLeftoverTempFoldersAreCleaned()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Path, keepLast: 3);
        store.Save(5, d => WriteStep(d, 5));
        store.Save(5, d => File.WriteAllText(Path.Combine(d, "state.txt"), "again"));
        Assert.Equal("again", File.ReadAllText(Path.Combine(store.PathOf(5), "state.txt")));
        Directory.CreateDirectory(Path.Combine(dir.Path, ".tmp-step-6-dead"));
        _ = new CheckpointStore(dir.Path, keepLast: 3);
        Assert.False(Directory.Exists(Path.Combine(dir.Path, ".tmp-step-6-dead")));
    }

    [Fact]
    public void LatestFallsBackToTheHighestStepAndIsNullWhenEmpty()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Path, keepLast: 3);
        Assert.Null(store.Latest());
        store.Save(3, _ => { });
        store.Save(7, _ => { });
        File.Delete(Path.Combine(dir.Path, CheckpointStore.LatestFile));
        Assert.Equal(store.PathOf(7), store.Latest());
    }
}
