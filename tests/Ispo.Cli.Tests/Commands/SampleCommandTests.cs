using System.Text.Json;

namespace Ispo.Cli.Tests.Commands;

public class SampleCommandTests
{
    [Fact]
    public void JsonIsByteIdenticalForTheSameSeedAndDiffersForAnother()
    {
        string dir = CliRun.TinyModel();
        string[] args = ["sample", "--model", dir, "--prompt", "2+3=", "--n", "3", "--max-new-tokens", "6", "--seed", "7", "--top-p", "0.9", "--json"];
        var first = CliRun.Run(args);
        var second = CliRun.Run(args);
        Assert.True(first.Code == 0, first.Err);
        Assert.Equal(first.Out, second.Out);
        var other = CliRun.Run([.. args[..^2], "8", "--json"]);
        Assert.NotEqual(first.Out, other.Out);

        using var json = JsonDocument.Parse(first.Out);
        var samples = json.RootElement.GetProperty("samples");
        Assert.Equal(3, samples.GetArrayLength());
        Assert.All(samples.EnumerateArray(), s => Assert.InRange(s.GetProperty("token_ids").GetArrayLength(), 1, 6));
        Assert.Equal("2+3=", json.RootElement.GetProperty("prompt").GetString());
    }

    [Fact]
    public void PlainOutputListsEachSample()
    {
        string dir = CliRun.TinyModel();
        var (code, output, err) = CliRun.Run("sample", "--model", dir, "--prompt", "hi", "--n", "2", "--max-new-tokens", "4", "--temperature", "0");
        Assert.True(code == 0, err);
        Assert.Contains("[0] (", output);
        Assert.Contains("[1] (", output);
    }

    [Fact]
    public void MissingModelIsAnError()
    {
        var (code, _, err) = CliRun.Run("sample", "--model", "/nonexistent/model", "--prompt", "x");
        Assert.Equal(1, code);
        Assert.Contains("error:", err);
    }
}
