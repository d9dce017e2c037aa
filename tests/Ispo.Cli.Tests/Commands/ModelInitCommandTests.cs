namespace Ispo.Cli.Tests.Commands;

public class ModelInitCommandTests
{
    [Fact]
    public void WritesTheHfLayout()
    {
        string dir = CliRun.NewDir();
        var (code, output, _) = CliRun.Run("model", "init", "--preset", "tiny", "--out", dir);
        Assert.Equal(0, code);
        Assert.Contains("Llama model", output);
        foreach (string file in new[] { "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "generation_config.json" })
            Assert.True(File.Exists(Path.Combine(dir, file)), file);
    }

    [Fact]
    public void AnEarlierModelIsReplacedWholeAndAFolderOfOtherFilesIsRefused()
    {
        string dir = CliRun.NewDir();
        Assert.Equal(0, CliRun.Run("model", "init", "--preset", "tiny", "--out", dir, "--seed", "1").Code);
        File.WriteAllText(Path.Combine(dir, "stale.txt"), "from before");
        Assert.Equal(0, CliRun.Run("model", "init", "--preset", "tiny", "--out", dir, "--seed", "2").Code);
        Assert.False(File.Exists(Path.Combine(dir, "stale.txt"))); // published as a new folder, not written over the old one
        Assert.True(File.Exists(Path.Combine(dir, "model.safetensors")));

        string notes = CliRun.NewDir();
        Directory.CreateDirectory(notes);
        File.WriteAllText(Path.Combine(notes, "notes.txt"), "mine");
        var (code, _, err) = CliRun.Run("model", "init", "--preset", "tiny", "--out", notes);
        Assert.Equal(1, code);
        Assert.Contains("holds no model (it has notes.txt", err);
        Assert.Equal(["notes.txt"], Directory.EnumerateFileSystemEntries(notes).Select(Path.GetFileName));
    }

    [Fact]
    public void ExplicitDimsOverrideThePreset()
    {
        string dir = CliRun.NewDir();
        var (code, _, err) = CliRun.Run("model", "init", "--out", dir, "--arch", "qwen2", "--hidden", "48", "--heads", "6", "--kv-heads", "2", "--layers", "1");
        Assert.True(code == 0, err);
        string config = File.ReadAllText(Path.Combine(dir, "config.json"));
        Assert.Contains("\"Qwen2ForCausalLM\"", config);
        Assert.Contains("\"hidden_size\": 48", config);
        Assert.Contains("\"head_dim\": 8", config);
        Assert.Contains("\"num_key_value_heads\": 2", config);
    }

    [Fact]
    public void BadValuesAreErrors()
    {
        var (code, _, err) = CliRun.Run("model", "init", "--preset", "huge", "--out", CliRun.NewDir());
        Assert.Equal(1, code);
        Assert.Contains("huge", err);
        (code, _, err) = CliRun.Run("model", "init", "--out", CliRun.NewDir(), "--kv-heads", "3");
        Assert.Equal(1, code);
        Assert.Contains("num_key_value_heads", err);
    }
}
