// `ispo eval` end to end on a tiny random model over the shipped benchmarks: the files it writes and resume.
using System.Text.Json.Nodes;

namespace Ispo.Cli.Tests.Commands;

public class EvalCommandTests
{
    static readonly string[] Shipped = ["math500", "aime24", "amc23", "minerva", "olympiadbench", "gsm8k"];

    /// <summary>../shared/data next to the repository root (the folder holding Ispo.sln).</summary>
    static string DataDir()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ispo.sln")))
            dir = dir.Parent;
        return Path.GetFullPath(Path.Combine(dir!.FullName, "..", "shared", "data"));
    }

    static (int Code, string Out, string Err) Eval(string model, string outDir, string benchmarks, params string[] extra) =>
        CliRun.Run(["eval", "--model", model, "--benchmarks", benchmarks, "--out", outDir, "--data-dir", DataDir(),
            "--max-new-tokens", "6", .. extra]);

    [Fact]
    public void Evaluates_every_shipped_benchmark_into_results_json_markdown_and_samples()
    {
        string model = CliRun.TinyModel(), outDir = CliRun.NewDir();

        var (code, output, error) = Eval(model, outDir, string.Join(",", Shipped), "--limit", "2", "--threads", "1");

        Assert.True(code == 0, error);
        var results = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!;
        Assert.Equal(Shipped, results["benchmarks"]!.AsObject().Select(b => b.Key));
        foreach (string name in Shipped)
        {
            JsonNode metrics = results["benchmarks"]![name]!;
            Assert.InRange(metrics["pass@1"]!.GetValue<double>(), 0, 1);
            Assert.Equal(2, metrics["problems"]!.GetValue<int>());
            Assert.Equal(1, metrics["samples"]!.GetValue<int>());
            Assert.Equal(metrics["pass@1"]!.GetValue<double>(), metrics["pass@k"]!["pass@1"]!.GetValue<double>());
        }
        Assert.Equal(12, results["average"]!["problems"]!.GetValue<int>());
        Assert.Equal(12, File.ReadAllLines(Path.Combine(outDir, "samples.jsonl")).Length);
        Assert.Equal(Shipped.Length + 3, File.ReadAllLines(Path.Combine(outDir, "results.md")).Length);
        Assert.Contains("| gsm8k | 2 | 1 |", output);
        Assert.Contains("12 problems in ", output);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("3")]
    public void A_run_interrupted_and_resumed_equals_an_uninterrupted_one(string samples)
    {
        string model = CliRun.TinyModel();
        string whole = CliRun.NewDir(), limited = CliRun.NewDir(), cut = CliRun.NewDir();
        string[] sampling = ["--n", samples, "--temperature", samples == "1" ? "0" : "1.0", "--batch-size", "2", "--seed", "4"];

        Assert.Equal(0, Eval(model, whole, "amc23,aime24", ["--limit", "3", .. sampling]).Code);
        Assert.Equal(0, Eval(model, limited, "amc23,aime24", ["--limit", "1", .. sampling]).Code);     // stopped early
        Assert.Equal(0, Eval(model, limited, "amc23,aime24", ["--limit", "3", "--resume", .. sampling]).Code);
        Directory.CreateDirectory(cut);                                                              // killed mid-write
        string[] lines = File.ReadAllLines(Path.Combine(whole, "samples.jsonl"));
        File.WriteAllText(Path.Combine(cut, "samples.jsonl"), string.Join("\n", lines[..4]) + "\n" + lines[4][..20]);
        Assert.Equal(0, Eval(model, cut, "amc23,aime24", ["--limit", "3", "--resume", .. sampling]).Code);

        foreach (string file in new[] { "samples.jsonl", "results.json", "results.md" })
        {
            Assert.Equal(File.ReadAllText(Path.Combine(whole, file)), File.ReadAllText(Path.Combine(limited, file)));
            Assert.Equal(File.ReadAllText(Path.Combine(whole, file)), File.ReadAllText(Path.Combine(cut, file)));
        }
    }

    [Fact]
    public void Cpu_kernels_off_reaches_the_model_and_is_kept_with_the_samples()
    {
        string model = CliRun.TinyModel(), outDir = CliRun.NewDir();

        var (code, output, error) = Eval(model, outDir, "amc23", "--limit", "1", "--cpu-kernels", "off");

        Assert.True(code == 0, error);
        Assert.Contains("(libtorch operations only)", output);
        Assert.Equal("off", JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "eval-settings.json")))!["--cpu-kernels"]!.GetValue<string>());
        var resumed = Eval(model, outDir, "amc23", "--limit", "1", "--resume");                      // auto: other numerics
        Assert.Equal(1, resumed.Code);
        Assert.Contains("--cpu-kernels (unset)", resumed.Err);
    }

    [Fact]
    public void Sampling_defaults_to_temperature_0_6_and_reports_pass_at_k()
    {
        string model = CliRun.TinyModel(), outDir = CliRun.NewDir();

        Assert.Equal(0, Eval(model, outDir, "amc23", "--limit", "2", "--n", "4").Code);

        var metrics = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")))!["benchmarks"]!["amc23"]!;
        Assert.Equal(4, metrics["samples"]!.GetValue<int>());
        Assert.Equal(["pass@1", "pass@2", "pass@4"], metrics["pass@k"]!.AsObject().Select(k => k.Key));
        string[] texts = File.ReadAllLines(Path.Combine(outDir, "samples.jsonl"))
            .Select(l => JsonNode.Parse(l)!["completion"]!.GetValue<string>()).ToArray();
        Assert.True(texts.Distinct().Count() > 1, "samples at T = 0.6 differ");
    }

    [Fact]
    public void An_unknown_benchmark_is_a_clear_error()
    {
        var (code, _, error) = Eval(CliRun.NewDir(), CliRun.NewDir(), "math500,nope");

        Assert.Equal(1, code);
        Assert.Contains("unknown dataset 'nope'", error);
    }

    [Fact]
    public void Model_download_is_attached_under_model()
    {
        var (code, _, error) = CliRun.Run("model", "download", "../x", "--endpoint", "http://127.0.0.1:9");

        Assert.Equal(1, code);
        Assert.Contains("not a Hub repository id", error);
    }
}
