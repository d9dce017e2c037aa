using Ispo.Models.Checkpoints;

namespace Ispo.Models.Tests.Checkpoints;

public class AtomicFileTests
{
    [Fact]
    public void WritesReplacesAndLeavesNoTempFiles()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "sub", "a.txt");
        AtomicFile.WriteAllText(path, "one");
        AtomicFile.WriteAllBytes(path, "two"u8);
        Assert.Equal("two", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(Path.Combine(dir.Path, "sub")));
    }

    [Fact]
    public void AFailedWriteKeepsTheOldFile()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "a.txt");
        AtomicFile.WriteAllText(path, "old");
        Assert.Throws<InvalidOperationException>(() => AtomicFile.Write(path, s => { s.WriteByte(1); throw new InvalidOperationException(); }));
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }
}
