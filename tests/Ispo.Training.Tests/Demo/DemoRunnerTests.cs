using System.Text.Json.Nodes;
using Ispo.Training.Demo;
using Ispo.Training.Progress;

namespace Ispo.Training.Tests.Demo;

public sealed class DemoRunnerTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("ispo-demo-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    static readonly string[] Tiny =
    [
        "model.preset=tiny", "sft.steps=3", "sft.batch_size=4", "run.steps=2", "data.prompts_per_step=2", "rollout.group_size=4",
        "rollout.max_new_tokens=12", "eval.max_problems=2", "eval.max_new_tokens=12",
    ];

    JsonNode Run(string name, int seed)
    {
        DemoResult result = DemoRunner.Run(new DemoOptions { OutDir = Path.Combine(root, name), Seed = seed, Overrides = Tiny },
            new PlainProgressReporter(TextWriter.Null));
        Assert.True(File.Exists(result.ReportPath));
        return JsonNode.Parse(File.ReadAllText(result.SummaryPath))!;
    }

    /// <summary>Everything but the wall-clock step time.</summary>
    static string Reproducible(JsonNode summary)
    {
        foreach (string method in new[] { "grpo", "ispo" }) summary["methods"]![method]!.AsObject().Remove("step_time_s");
        return summary.ToJsonString();
    }

    [Fact]
    public void WritesTheSummaryAndTheSameSeedReproducesIt()
    {
        JsonNode first = Run("a", seed: 1);
        JsonObject methods = first["methods"]!.AsObject();
        Assert.Equal(["sft", "grpo", "ispo"], methods.Select(m => m.Key).ToArray());
        foreach (var (name, m) in methods)
        {
            Assert.Equal(5, m!["accuracy_by_tier"]!.AsArray().Count);
            Assert.All(m["accuracy_by_tier"]!.AsArray(), a => Assert.InRange(a!.GetValue<double>(), 0, 1));
            if (name == "sft") continue;
            Assert.Equal(2, m["steps"]!.GetValue<int>());
            Assert.InRange(m["zero_adv_rate"]!.GetValue<double>(), 0, 1);
            Assert.True(m["step_time_s"]!.GetValue<double>() > 0);
        }
        Assert.Equal(Reproducible(first), Reproducible(Run("b", seed: 1)));
    }

    [Fact]
    public void ARerunInTheSameFolderReusesTheFinishedSftStageUnlessItsSettingsChange()
    {
        string dir = Path.Combine(root, "rerun");
        string Log(params string[] extra)
        {
            var log = new StringWriter();
            DemoRunner.Run(new DemoOptions { OutDir = dir, Seed = 1, Overrides = [.. Tiny, .. extra] }, new PlainProgressReporter(log));
            return log.ToString();
        }

        string Summary() => Reproducible(JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "summary.json")))!);
        string first = Log();
        string firstSummary = Summary();
        Assert.DoesNotContain("reusing", first);
        Assert.DoesNotContain("continuing", first);
        string same = Log();
        Assert.Equal(firstSummary, Summary());
        Assert.Contains("reusing the finished stage", same);
        Assert.Contains("grpo: continuing the earlier run", same);
        string otherRl = Log("optim.lr=1e-4", "data.prompts_per_step=1");
        Assert.Contains("reusing the finished stage", otherRl);
        Assert.DoesNotContain("continuing", otherRl);
        Assert.DoesNotContain("reusing", Log("sft.steps=4"));
    }
}
