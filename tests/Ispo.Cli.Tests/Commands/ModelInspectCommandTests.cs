namespace Ispo.Cli.Tests.Commands;

public class ModelInspectCommandTests
{
    [Fact]
    public void DescribesATinyModel()
    {
        string dir = CliRun.TinyModel();
        var (code, output, err) = CliRun.Run("model", "inspect", dir);
        Assert.True(code == 0, err);
        Assert.Contains("Llama", output);
        Assert.Contains("hidden 64, 2 layers, 4 heads (2 kv)", output);
        Assert.Contains("float32", output);
        Assert.Contains("byte-level BPE, 260 tokens, eos <|endoftext|>", output);
        Assert.Matches(@"parameters:\s+[\d,]+ \(0\.\d\dM\)", output);
    }

    [Fact]
    public void MissingDirectoryIsAnError()
    {
        var (code, _, err) = CliRun.Run("model", "inspect", "/nonexistent/model");
        Assert.Equal(1, code);
        Assert.Contains("config.json", err);
    }
}
