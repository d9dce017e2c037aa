using System.Text.Json;
using Ispo.Models.Pretrained;
using Ispo.Models.Scoring;
using static TorchSharp.torch;

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
    public void JsonCarriesPromptIdsAndTheScorersPerTokenLogProbsAndEntropies()
    {
        string dir = CliRun.TinyModel();
        var (code, output, err) = CliRun.Run("sample", "--model", dir, "--prompt", "2+3=", "--n", "2", "--max-new-tokens", "5", "--seed", "4", "--json");
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(output);
        using var policy = LoadedModel.LoadPretrained(dir);
        foreach (var sample in json.RootElement.GetProperty("samples").EnumerateArray())
        {
            int[] prompt = Ints(sample, "prompt_token_ids"), generated = Ints(sample, "token_ids");
            Assert.Equal(policy.Tokenizer.Encode("2+3="), prompt);
            var (logProbs, entropies) = Score(policy, prompt, generated);
            Assert.Equal(logProbs, Floats(sample, "logprobs"), (a, b) => Math.Abs(a - b) < 1e-4);
            Assert.Equal(entropies, Floats(sample, "entropies"), (a, b) => Math.Abs(a - b) < 1e-4);
        }
    }

    [Fact]
    public void CpuKernelsOffReachesTheModel()
    {
        string dir = CliRun.TinyModel();
        string[] args = ["sample", "--model", dir, "--prompt", "2+3=", "--max-new-tokens", "3", "--json"];
        var off = CliRun.Run([.. args, "--cpu-kernels", "off"]);
        var auto = CliRun.Run(args);
        Assert.True(off.Code == 0, off.Err);
        using var offJson = JsonDocument.Parse(off.Out);
        using var autoJson = JsonDocument.Parse(auto.Out);
        using var policy = LoadedModel.LoadPretrained(dir);
        Assert.False(offJson.RootElement.GetProperty("uses_cpu_kernels").GetBoolean());
        Assert.Equal(policy.Model.UsesCpuKernels, autoJson.RootElement.GetProperty("uses_cpu_kernels").GetBoolean());
    }

    static int[] Ints(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(x => x.GetInt32()).ToArray();
    static float[] Floats(JsonElement e, string name) => e.GetProperty(name).EnumerateArray().Select(x => x.GetSingle()).ToArray();

    /// <summary>The scorer's log-probs and entropies of the generated tokens after the prompt (temperature 1).</summary>
    static (float[], float[]) Score(LoadedModel policy, int[] prompt, int[] generated)
    {
        using var scope = NewDisposeScope();
        Tensor ids = tensor(prompt.Concat(generated).Select(x => (long)x).ToArray()).unsqueeze(0); // [1,T]
        Tensor response = cat([zeros(1, prompt.Length), ones(1, generated.Length)], 1);
        using var scores = Scorer.Score(policy.Model, ids, null, response);
        float[] Tail(Tensor t) => t[0].data<float>().ToArray()[prompt.Length..];
        return (Tail(scores.LogProbs), Tail(scores.Entropies!));
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
