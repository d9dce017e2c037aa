using Ispo.Models.Checkpoints;
using Ispo.Models.Lora;
using Ispo.Training.Sft;

namespace Ispo.Training.Tests.Sft;

public class SftOutputTests
{
    static string Folder(TempDir dir, string name, params string[] files)
    {
        string path = Directory.CreateDirectory(dir.File(name)).FullName;
        foreach (string file in files) File.WriteAllText(Path.Combine(path, file), file);
        return path;
    }

    static void WriteModel(string dir, string weights) => File.WriteAllText(Path.Combine(dir, CheckpointFiles.SingleFile), weights);

    [Fact]
    public void WritesANewFolderAndReplacesAModelFolderOrAnEmptyOne()
    {
        using var dir = new TempDir();
        string source = Folder(dir, "base", CheckpointFiles.SingleFile);
        SftOutput.Publish(dir.File("out"), source, d => WriteModel(d, "one"));
        SftOutput.Publish(dir.File("out"), source, d => WriteModel(d, "two"));            // an earlier sft's model: replaced whole
        Assert.Equal([CheckpointFiles.SingleFile], Directory.GetFiles(dir.File("out")).Select(Path.GetFileName));
        Assert.Equal("two", File.ReadAllText(Path.Combine(dir.File("out"), CheckpointFiles.SingleFile)));
        string adapter = Folder(dir, "adapter", PeftAdapter.ConfigFile, "README.md");
        SftOutput.Publish(adapter, source, d => WriteModel(d, "three"));
        Assert.False(File.Exists(Path.Combine(adapter, "README.md")));
        SftOutput.Publish(Folder(dir, "empty"), source, d => WriteModel(d, "four"));
        Assert.Equal(["adapter", "base", "empty", "out"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void RefusesAFolderWithoutAModelAFileAndTheSourceModelNamingThem()
    {
        using var dir = new TempDir();
        string source = Folder(dir, "base", CheckpointFiles.SingleFile, "config.json");
        string notes = Folder(dir, "notes", "b.txt", "a.txt");
        File.WriteAllText(dir.File("file"), "x");
        var cases = new[] { (notes, "is a non-empty folder that holds no model (it has a.txt, b.txt…)"), (dir.File("file"), "is a file"),
                            (source + "/", "is the model being fine-tuned") };
        foreach (var (target, message) in cases)
        {
            var e = Assert.Throws<ArgumentException>(() => SftOutput.Publish(target, source, d => WriteModel(d, "new")));
            Assert.Contains(Path.TrimEndingDirectorySeparator(target), e.Message);
            Assert.Contains(message, e.Message);
        }
        Assert.Equal(["a.txt", "b.txt"], Directory.GetFiles(notes).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(CheckpointFiles.SingleFile, File.ReadAllText(Path.Combine(source, CheckpointFiles.SingleFile)));
    }

    [Fact]
    public void AFailedWriteLeavesTheOldModelAndNoPartialCopy()
    {
        using var dir = new TempDir();
        string source = Folder(dir, "base", CheckpointFiles.SingleFile);
        SftOutput.Publish(dir.File("out"), source, d => WriteModel(d, "old"));
        Assert.Throws<IOException>(() => SftOutput.Publish(dir.File("out"), source, d => { WriteModel(d, "ha"); throw new IOException("disk full"); }));
        Assert.Equal("old", File.ReadAllText(Path.Combine(dir.File("out"), CheckpointFiles.SingleFile)));
        Assert.Equal(["base", "out"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
