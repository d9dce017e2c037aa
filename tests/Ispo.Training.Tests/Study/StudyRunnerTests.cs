using System.Text.Json.Nodes;
using Ispo.Training.Progress;
using Ispo.Training.Study;

namespace Ispo.Training.Tests.Study;

public sealed class StudyRunnerTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("ispo-study-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    StudyOptions Tiny(string name) => new()
    {
        OutDir = Path.Combine(root, name), Seeds = [0, 1], Methods = ["grpo", "ispo"], MainPreset = "tiny", SecondPreset = null,
        EvalSamples = 2, PreconditionPrompts = 2,
        Overrides =
        [
            "sft.steps=2", "sft.batch_size=4", "run.steps=3", "run.checkpoint_every=1", "data.prompts_per_step=2", "rollout.group_size=4",
            "rollout.max_new_tokens=10", "eval.max_problems=3", "model.threads=1",
        ],
    };

    /// <summary>Cancels once the reporter has seen <paramref name="steps"/> RL steps (as a kill would stop the study).</summary>
    sealed class StopAfter(int steps, CancellationTokenSource cancel) : IProgressReporter
    {
        int seen;
        public void Phase(string phase) { }
        public void Log(string message) { }
        public void Step(ProgressSnapshot snapshot)
        {
            if (snapshot.Extra is null && ++seen == steps) cancel.Cancel(); // SFT steps carry a loss in Extra
        }
        public void Dispose() { }
    }

    static string Metrics(string outDir, string cell, string method) =>
        string.Join("\n", File.ReadAllLines(Path.Combine(outDir, cell, "runs", method, "metrics.jsonl"))
            .Select(l => JsonNode.Parse(l)!.AsObject()).Select(o =>
            {
                foreach (string key in o.Select(kv => kv.Key).Where(k => k.StartsWith("time/", StringComparison.Ordinal) || k is "step_time" or "tokens_per_second").ToList())
                    o.Remove(key);
                return o.ToJsonString();
            }));

    sealed class Logs : IProgressReporter
    {
        public List<string> Lines { get; } = [];
        public void Phase(string phase) { }
        public void Log(string message) => Lines.Add(message);
        public void Step(ProgressSnapshot snapshot) { }
        public void Dispose() { }
    }

    [Fact]
    public void Model_cpu_kernels_off_reaches_the_models_the_study_trains_and_scores()
    {
        StudyOptions tiny = Tiny("kernels-off");
        var logs = new Logs();
        StudyRunner.Run(tiny with { Seeds = [0], Methods = ["grpo"], Overrides = [.. tiny.Overrides, "model.cpu_kernels=off"] }, logs);
        foreach (string stage in new[] { "base model (", "scoring the base model", "RL: grpo", "grpo: scoring" })
            Assert.Contains(logs.Lines, l => l.Contains(stage, StringComparison.Ordinal) && l.EndsWith(", libtorch operations only", StringComparison.Ordinal));
    }

    [Fact]
    public void AKilledStudyContinuesAndEndsAsAnUninterruptedOne()
    {
        StudyResult whole = StudyRunner.Run(Tiny("whole"), new PlainProgressReporter(TextWriter.Null));

        using var cancel = new CancellationTokenSource();
        StudyOptions killed = Tiny("killed");
        Assert.ThrowsAny<OperationCanceledException>(() => StudyRunner.Run(killed, new StopAfter(9, cancel), cancel.Token)); // inside seed 1's RL
        string seed0Eval = Path.Combine(killed.OutDir, "main", "seed-0", "runs", "grpo", StudyRunner.EvalFile);
        DateTime finishedAt = File.GetLastWriteTimeUtc(seed0Eval);
        Assert.False(File.Exists(Path.Combine(killed.OutDir, "main", "seed-1", "runs", "grpo", StudyRunner.EvalFile)));

        StudyResult resumed = StudyRunner.Run(killed, new PlainProgressReporter(TextWriter.Null));
        Assert.Equal(finishedAt, File.GetLastWriteTimeUtc(seed0Eval)); // a finished run is not redone
        foreach (string cell in new[] { "main/seed-0", "main/seed-1" })
            foreach (string method in new[] { "grpo", "ispo" })
                Assert.Equal(Metrics(whole.OutDir, cell, method), Metrics(resumed.OutDir, cell, method));
        Assert.Equal(whole.Summary.Methods["ispo"].AccuracyByTier, resumed.Summary.Methods["ispo"].AccuracyByTier);
        Assert.Equal(whole.Summary.Methods["ispo"].DiffVsGrpoByTier, resumed.Summary.Methods["ispo"].DiffVsGrpoByTier);
    }

    [Fact]
    public void SummaryHoldsThePreconditionsAndEveryMethodsFigures()
    {
        StudyResult result = StudyRunner.Run(Tiny("summary") with { Seeds = [0] }, new PlainProgressReporter(TextWriter.Null));
        JsonNode summary = JsonNode.Parse(File.ReadAllText(result.SummaryPath))!;
        foreach (string key in new[] { "top10_entropy", "grpo_zero_adv_rate", "identical_group_frac", "pass1_hardest", "pass8_hardest" })
            Assert.NotNull(summary["preconditions"]![key]);
        foreach (string method in new[] { "base", "grpo", "ispo" })
        {
            JsonNode m = summary["methods"]![method]!;
            Assert.Equal(5, m["accuracy_by_tier"]!.AsArray().Count);
            Assert.Equal(5, m["ci95_by_tier"]!.AsArray().Count);
            Assert.All(m["ci95_by_tier"]!.AsArray(), ci => Assert.True(ci![0]!.GetValue<double>() <= ci[1]!.GetValue<double>()));
        }
        Assert.NotNull(summary["methods"]!["grpo"]!["zero_adv_rate"]);
        Assert.NotNull(summary["methods"]!["ispo"]!["step_time_s"]);
        Assert.Equal(5, summary["methods"]!["ispo"]!["diff_vs_grpo_by_tier"]!.AsArray().Count);
        Assert.NotNull(summary["methods"]!["ispo"]!["critical_sets"]!["critical_frac"]);
        string report = File.ReadAllText(result.ReportPath);
        Assert.Contains("Preconditions at RL step 0", report);
        Assert.Contains("difference to GRPO", report);
    }

    [Fact]
    public void TheSecondSizeAloneWritesItsSummaryAndReport()
    {
        StudyResult result = StudyRunner.Run(Tiny("second") with { Seeds = [0], SecondPreset = "tiny", Sizes = ["second"] },
            new PlainProgressReporter(TextWriter.Null));
        Assert.Null(result.Summary.Preconditions);
        Assert.Empty(result.Summary.Methods);
        Assert.Equal(["base", "grpo", "ispo"], result.Summary.SecondSize.Keys.Order());
        string report = File.ReadAllText(result.ReportPath);
        Assert.DoesNotContain("(main size)", report);
        Assert.Contains("## Preconditions at RL step 0 (tiny)", report);
        Assert.Contains("## Second size (tiny): difference to GRPO", report);
    }
}
