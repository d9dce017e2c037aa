using Ispo.Models.Checkpoints;
using Ispo.Training.Runs;

namespace Ispo.Cli.Tests.Commands;

/// <summary>Kills a real `ispo train` process at named points (CrashPoints) before, inside and after checkpoint and
/// log writes, resumes it, and checks that the finished run equals an uninterrupted one in every file it writes:
/// metrics, samples, groups, TensorBoard scalars and the final weights and optimizer state.</summary>
public sealed class TrainCrashTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("ispo-crash-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    // Each scenario: the crash points of the successive killed attempts; a clean --resume then finishes the run.
    // Atomic file writes (file.written) number 1 config.yaml, 2–6 the initial model, 7–13 step-2's checkpoint.
    static readonly string[][] Scenarios =
    [
        ["file.written#1"],                      // config.yaml not yet in place
        ["file.written#3"],                      // inside the initial model folder
        ["folder.written#1"],                    // initial model complete, not yet published
        ["file.written#9"],                      // inside step-2's checkpoint
        ["folder.written#2"],                    // step-2 complete, not yet published
        ["checkpoint.published#1"],              // step-2 published
        ["metrics.line#3"],                      // half of step 3's metrics line on disk
        ["step.logged#3"],                       // step 3 logged everywhere, its checkpoint not due
        ["folder.written#3"],                    // the final checkpoint complete, not yet published
        ["checkpoint.published#2"],              // the final checkpoint published, step-2 not yet pruned
        ["step.logged#3", "file.written#1"],     // killed again while the resume cuts the logs back
        ["step.logged#3", "folder.written#1"],   // killed again before the resumed run's final checkpoint appears
    ];

    [Fact]
    public void EveryKilledRunResumesToWhatAnUninterruptedRunWrites()
    {
        string reference = Path.Combine(root, "reference");
        Assert.Equal(0, Train(reference, resume: false, crashAt: null).Code);
        Parallel.For(0, Scenarios.Length, new ParallelOptions { MaxDegreeOfParallelism = 2 }, i =>
        {
            string run = Path.Combine(root, $"crash-{i}");
            bool started = false;
            foreach (string point in Scenarios[i])
            {
                var (code, output) = Train(run, resume: started, crashAt: point);
                Assert.True(code == 137, $"{string.Join(" then ", Scenarios[i])}: expected a kill at {point}, exit {code}\n{output}");
                started = true;
            }
            var (finalCode, finalOutput) = Train(run, resume: true, crashAt: null);
            Assert.True(finalCode == 0, $"{string.Join(" then ", Scenarios[i])}: resume failed\n{finalOutput}");
            AssertSameRun(reference, run, string.Join(" then ", Scenarios[i]));
        });
    }

    static void AssertSameRun(string expected, string actual, string scenario)
    {
        Assert.True(Metrics(expected).SequenceEqual(Metrics(actual)), $"{scenario}: metrics.jsonl differs");
        foreach (string file in new[] { RunDirectory.SamplesFile, RunDirectory.GroupsFile })
            Assert.True(File.ReadAllText(Path.Combine(expected, file)) == File.ReadAllText(Path.Combine(actual, file)), $"{scenario}: {file} differs");
        Assert.True(Scalars(expected).SequenceEqual(Scalars(actual)), $"{scenario}: TensorBoard scalars differ");
        foreach (string file in new[] { "model.safetensors", "optimizer.bin", "trainer_state.json" })
            Assert.True(File.ReadAllBytes(Path.Combine(expected, "checkpoints", "step-4", file))
                .SequenceEqual(File.ReadAllBytes(Path.Combine(actual, "checkpoints", "step-4", file))), $"{scenario}: step-4/{file} differs");
        Assert.Empty(Directory.GetDirectories(actual, ".*", SearchOption.AllDirectories));  // no temp or retired folder left
        Assert.Empty(Directory.GetFiles(actual, "*" + AtomicFile.TempInfix + "*", SearchOption.AllDirectories));
    }

    static readonly string[] WallClock = ["step_time", "tokens_per_second"];

    static IEnumerable<string> Metrics(string run) => RunDirectory.Open(run).ReadMetrics().Select(r => r.Step + ":" + string.Join(",",
        r.Values.Where(kv => !kv.Key.StartsWith("time/") && !WallClock.Contains(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal)
            .Select(kv => $"{kv.Key}={kv.Value:R}")));

    static IEnumerable<string> Scalars(string run) => TensorBoardEvents.Scalars(Path.Combine(run, RunDirectory.TensorBoardFolder))
        .Where(s => !s.Tag.StartsWith("time/") && !WallClock.Contains(s.Tag)).Select(s => $"{s.Tag}@{s.Step}={s.Value:R}");

    static (int Code, string Output) Train(string run, bool resume, string? crashAt)
    {
        string[] settings = ["run.steps=4", "run.checkpoint_every=2", "run.keep_last=1", "run.sample_every=1", "run.tensorboard=true",
            "data.prompts_per_step=2", "rollout.group_size=2", "rollout.max_new_tokens=8", "algorithm.loss.entropy_coef=0.05",
            "model.threads=1", "eval.every=0", $"run.out_dir={Path.GetDirectoryName(run)}", $"run.name={Path.GetFileName(run)}"];
        return CliRun.Process(["train", "--config", Path.Combine(TrainCommandTests.Configs(), "grpo.yaml"),
            .. settings.SelectMany(s => new[] { "--set", s }), .. resume ? ["--resume"] : Array.Empty<string>()], crashAt);
    }
}
