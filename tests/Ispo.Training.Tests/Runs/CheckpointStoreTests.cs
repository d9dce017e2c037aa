using Ispo.Training.Runs;

namespace Ispo.Training.Tests.Runs;

public class CheckpointStoreTests
{
    static void WriteStep(string dir, int step) => File.WriteAllText(Path.Combine(dir, "state.txt"), step.ToString());

    [Fact]
    public void KeepsTheLastKAndLatestIsTheNewest()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Path, keepLast: 2);
        foreach (int step in new[] { 10, 20, 30 }) store.Save(step, d => WriteStep(d, step));
        Assert.Equal([20, 30], store.Steps());
        Assert.Equal(store.PathOf(30), store.Latest());
        Assert.Equal("30", File.ReadAllText(Path.Combine(store.Latest()!, "state.txt")));
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
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void ResavingAStepReplacesIt()
    {
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Path, keepLast: 1);
        store.Save(5, d => WriteStep(d, 5));
        store.Save(5, d => File.WriteAllText(Path.Combine(d, "state.txt"), "again"));
        Assert.Equal("again", File.ReadAllText(Path.Combine(store.PathOf(5), "state.txt")));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void AKillInsideAResaveLeavesTheRetiredCopyToComeBack()
    {
        // the state a kill leaves between retiring step-5 and publishing its replacement (issue 18, item 1): only
        // the retired copy is complete; before the fix it sat in a temp folder that the next start deleted
        using var dir = new TempDir();
        var store = new CheckpointStore(dir.Path, keepLast: 1);
        store.Save(5, d => WriteStep(d, 5));
        Directory.Move(store.PathOf(5), Path.Combine(dir.Path, ".old-step-5"));
        Directory.CreateDirectory(Path.Combine(dir.Path, ".tmp-step-5-dead"));
        var reopened = new CheckpointStore(dir.Path, keepLast: 1);
        Assert.Equal(reopened.PathOf(5), reopened.Latest());
        Assert.Equal("5", File.ReadAllText(Path.Combine(reopened.Latest()!, "state.txt")));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void LatestIsNullWhenEmpty()
    {
        using var dir = new TempDir();
        Assert.Null(new CheckpointStore(dir.Path, keepLast: 3).Latest());
    }
}
