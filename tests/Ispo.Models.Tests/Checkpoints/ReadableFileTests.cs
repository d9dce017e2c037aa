using System.Diagnostics;
using Ispo.Models.Checkpoints;

namespace Ispo.Models.Tests.Checkpoints;

public class ReadableFileTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AFifoNamedModelSafetensorsIsRefusedWithoutBlocking(bool throughSymlink)
    {
        using var dir = new TempDir();
        string fifo = dir.File(throughSymlink ? "blob" : CheckpointFiles.SingleFile);
        Process.Start("mkfifo", [fifo]).WaitForExit();
        if (throughSymlink) File.CreateSymbolicLink(dir.File(CheckpointFiles.SingleFile), fifo);
        var open = Task.Run(() => CheckpointReader.Open(dir.Path));
        bool finished = await Task.WhenAny(open, Task.Delay(TimeSpan.FromSeconds(30))) == open;
        if (!finished) using (new FileStream(fifo, FileMode.Open, FileAccess.Write)) { } // lets the blocked open return
        Assert.True(finished, "opening the FIFO blocked");
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => open);
        Assert.Contains(dir.File(CheckpointFiles.SingleFile), e.Message);
        Assert.Contains("not a regular file", e.Message);
    }

    [Fact]
    public void MissingAndOversizedFilesAreNamed()
    {
        using var dir = new TempDir();
        Assert.Throws<FileNotFoundException>(() => ReadableFile.Check(dir.File("absent.json")));
        File.WriteAllText(dir.File("big.json"), "{}   ");
        var e = Assert.Throws<InvalidDataException>(() => ReadableFile.Check(dir.File("big.json"), maxBytes: 4));
        Assert.Contains("big.json", e.Message);
        Assert.Equal(5, ReadableFile.Check(dir.File("big.json"), maxBytes: 5));
    }
}
