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
        Assert.Matches(@"weights:\s+\d+ tensors in 1 file\(s\)", output);
    }

    [Fact]
    public void ATruncatedWeightsFileIsReportedUnreadable()
    {
        string dir = CliRun.TinyModel();
        string weights = Path.Combine(dir, "model.safetensors");
        using (var file = new FileStream(weights, FileMode.Open)) file.SetLength(file.Length / 2);
        var (code, output, err) = CliRun.Run("model", "inspect", dir);
        Assert.True(code == 0, err);
        Assert.Contains("weights:        unreadable: ", output);
    }

    [Fact]
    public void MissingDirectoryIsAnError()
    {
        var (code, _, err) = CliRun.Run("model", "inspect", "/nonexistent/model");
        Assert.Equal(1, code);
        Assert.Contains("config.json", err);
    }
}
