using Ispo.Models.Checkpoints;
using Ispo.Models.Lora;
using Ispo.Training.Runs;

namespace Ispo.Training.Tests.Runs;

public class ModelOutputTests
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
        ModelOutput.Publish(dir.File("out"), d => WriteModel(d, "one"), source);
        ModelOutput.Publish(dir.File("out"), d => WriteModel(d, "two"), source);            // an earlier sft's model: replaced whole
        Assert.Equal([CheckpointFiles.SingleFile], Directory.GetFiles(dir.File("out")).Select(Path.GetFileName));
        Assert.Equal("two", File.ReadAllText(Path.Combine(dir.File("out"), CheckpointFiles.SingleFile)));
        string adapter = Folder(dir, "adapter", PeftAdapter.ConfigFile, "README.md");
        ModelOutput.Publish(adapter, d => WriteModel(d, "three"), source);
        Assert.False(File.Exists(Path.Combine(adapter, "README.md")));
        ModelOutput.Publish(Folder(dir, "empty"), d => WriteModel(d, "four"), source);
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
                            (source + "/", "is a model this command reads from") };
        foreach (var (target, message) in cases)
        {
            var e = Assert.Throws<ArgumentException>(() => ModelOutput.Publish(target, d => WriteModel(d, "new"), source));
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
        ModelOutput.Publish(dir.File("out"), d => WriteModel(d, "old"), source);
        Assert.Throws<IOException>(() => ModelOutput.Publish(dir.File("out"), d => { WriteModel(d, "ha"); throw new IOException("disk full"); }, source));
        Assert.Equal("old", File.ReadAllText(Path.Combine(dir.File("out"), CheckpointFiles.SingleFile)));
        Assert.Equal(["base", "out"], Directory.GetFileSystemEntries(dir.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }
}
