using Ispo.Models.Checkpoints;

namespace Ispo.Models.Tests.Checkpoints;

public class AtomicFolderTests
{
    static string Read(string dir) => File.ReadAllText(Path.Combine(dir, "a.txt"));
    static void Write(string dir, string text) => File.WriteAllText(Path.Combine(dir, "a.txt"), text);

    [Fact]
    public void PublishesAndReplacesLeavingOnlyTheTarget()
    {
        using var dir = new TempDir();
        string target = dir.File("model");
        AtomicFolder.Publish(target, d => Write(d, "one"));
        AtomicFolder.Publish(target, d => Write(d, "two"));
        Assert.Equal("two", Read(target));
        Assert.Equal([target], Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void AFailedWriteLeavesTheOldFolderAndNoTemp()
    {
        using var dir = new TempDir();
        string target = dir.File("model");
        AtomicFolder.Publish(target, d => Write(d, "one"));
        Assert.Throws<IOException>(() => AtomicFolder.Publish(target, d => { Write(d, "two"); throw new IOException("disk full"); }));
        Assert.Equal("one", Read(target));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void RecoverDeletesPartialFoldersAndFilesAndRestoresARetiredOneWithoutReplacement()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File(".tmp-model-1234"));
        File.WriteAllText(dir.File("config.yaml.tmp-99-abc"), "half");
        Write(Directory.CreateDirectory(dir.File(".old-model")).FullName, "retired");
        AtomicFolder.Recover(dir.Path);
        Assert.Equal("retired", Read(dir.File("model")));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void RecoverDropsARetiredFolderOnceItsReplacementIsPublished()
    {
        using var dir = new TempDir();
        Write(Directory.CreateDirectory(dir.File(".old-model")).FullName, "retired");
        Write(Directory.CreateDirectory(dir.File("model")).FullName, "new");
        AtomicFolder.Recover(dir.Path);
        Assert.Equal("new", Read(dir.File("model")));
        Assert.Single(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void RecoverTargetTouchesOnlyThatFoldersCopies()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.File(".tmp-model-1234abcd"));                    // model's partial copy
        Directory.CreateDirectory(dir.File(".tmp-model-x-1234abcd"));                  // another folder's (model-x)
        Directory.CreateDirectory(dir.File(".tmp-notes"));                             // the user's own
        File.WriteAllText(dir.File("config.yaml.tmp-99-abc"), "half");
        Write(Directory.CreateDirectory(dir.File(".old-model")).FullName, "retired");
        AtomicFolder.RecoverTarget(dir.File("model"));
        Assert.Equal("retired", Read(dir.File("model")));
        Assert.Equal([".tmp-model-x-1234abcd", ".tmp-notes", "config.yaml.tmp-99-abc", "model"],
            Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
