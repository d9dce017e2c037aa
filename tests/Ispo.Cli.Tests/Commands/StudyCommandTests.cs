using System.Text.Json.Nodes;

namespace Ispo.Cli.Tests.Commands;

public sealed class StudyCommandTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("ispo-study-cli-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    (int Code, string Out, string Err) Study(string name, params string[] more)
    {
        string[] settings = ["sft.steps=2", "sft.batch_size=4", "run.steps=2", "run.checkpoint_every=1", "data.prompts_per_step=2",
            "rollout.group_size=2", "rollout.max_new_tokens=8", "eval.max_problems=2", "model.threads=1"];
        return CliRun.Run(["study", "--quick", "--out", Path.Combine(root, name), "--seeds", "0", "--methods", "grpo", "ispo", "ispo-ifd-only",
            "--second-preset", "tiny", .. settings.SelectMany(s => new[] { "--set", s }), .. more]);
    }

    static string Metrics(string runDir) => string.Join("\n", File.ReadAllLines(Path.Combine(runDir, "metrics.jsonl"))
        .Select(l => JsonNode.Parse(l)!.AsObject()).Select(o =>
        {
            foreach (string key in o.Select(kv => kv.Key).Where(k => k.StartsWith("time/", StringComparison.Ordinal) || k is "step_time" or "tokens_per_second").ToList())
                o.Remove(key);
            return o.ToJsonString();
        }));

    [Fact]
    public void CellsInParallelWorkersComputeWhatASingleProcessComputes()
    {
        var (code, _, err) = Study("one");
        Assert.True(code == 0, err);
        var (parallelCode, output, parallelErr) = Study("two", "--jobs", "2");
        Assert.True(parallelCode == 0, parallelErr + output);

        Assert.Contains("second seed 0: worker started", output);
        Assert.Contains("main seed 0: worker finished", output);
        string[] runs = ["main/seed-0/runs/grpo", "main/seed-0/runs/ispo", "main/seed-0/runs/ispo-ifd-only", "second/seed-0/runs/ispo"];
        foreach (string run in runs)
            Assert.Equal(Metrics(Path.Combine(root, "one", run)), Metrics(Path.Combine(root, "two", run)));
        JsonNode one = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "one", "summary.json")))!;
        JsonNode two = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "two", "summary.json")))!;
        foreach (string method in new[] { "grpo", "ispo", "ispo-ifd-only" })
            Assert.Equal(one["methods"]![method]!["accuracy_by_tier"]!.ToJsonString(), two["methods"]![method]!["accuracy_by_tier"]!.ToJsonString());
        Assert.Equal(one["preconditions"]!.ToJsonString(), two["preconditions"]!.ToJsonString());
    }

    [Fact]
    public void JobsBelowOneAreRefused()
    {
        var (code, _, err) = Study("zero", "--jobs", "0");
        Assert.Equal(1, code);
        Assert.Contains("--jobs must be at least 1", err);
    }
}
