using Ispo.Models.Pretrained;
using Ispo.Serve;
using Ispo.Training.Configuration;
using Ispo.Training.Engines;
using Ispo.Training.Progress;
using Ispo.Training.Runs;
using Ispo.Training.Tests.Trainer;
using Ispo.Training.Trainer;

namespace Ispo.Training.Tests.Engines;

/// <summary>The acceptance test of the engine seam: `ispo serve` on loopback, with the trainer's own model, as the
/// rollout engine of a run whose weights it reloads from disk after every update, trains exactly as the local
/// sampler does.</summary>
public sealed class OpenAiRolloutEngineTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("ispo-engine-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    /// <summary>Wall-clock keys, and the gap metrics only a remote engine logs.</summary>
    static bool Compared(string key) => !key.StartsWith("time/", StringComparison.Ordinal) && key is not ("step_time" or "tokens_per_second")
        && !key.StartsWith("rollout/logprob_diff", StringComparison.Ordinal);

    [Fact]
    public async Task OpenAiEngineWithDiskSyncTrainsAsTheLocalSamplerDoes()
    {
        string model = Path.Combine(root, "tiny");
        ModelInit.Create(ModelInit.Preset("tiny"), model, 3);
        await using ServeHost server = await ServeHost.StartAsync(new ServeOptions
        {
            ModelDir = model, Port = 0, BatchWindow = TimeSpan.FromMilliseconds(5), Seed = 1,
        });

        string local = Train(model, "local");
        string remote = Train(model, "remote", "rollout.engine=openai", $"rollout.endpoints=[\"{server.BaseAddress}\"]", "rollout.weight_sync=disk");

        var localRows = RunDirectory.Open(local).ReadMetrics();
        var remoteRows = RunDirectory.Open(remote).ReadMetrics();
        Assert.Equal(3, localRows.Count);
        Assert.Equal(localRows.Select(r => r.Step), remoteRows.Select(r => r.Step));
        foreach (var (l, r) in localRows.Zip(remoteRows))
        {
            Assert.Equal(l.Values.Keys.Where(Compared).Order(), r.Values.Keys.Where(Compared).Order());
            foreach (string key in l.Values.Keys.Where(Compared))
                Assert.True(Close(l.Values[key], r.Values[key]), $"step {l.Step} {key}: local {l.Values[key]:R}, openai {r.Values[key]:R}");
            Assert.True(r.Values.ContainsKey("time/weight_sync"));
            Assert.False(l.Values.ContainsKey("time/weight_sync"));
            Assert.InRange(r.Values["rollout/logprob_diff_max"], 0, 1e-4);
        }
        // every sample (tokens decoded by the task) and reward the same: the trainer's groups log holds them
        Assert.Equal(File.ReadAllLines(RunDirectory.Open(local).GroupsPath), File.ReadAllLines(RunDirectory.Open(remote).GroupsPath));
        Assert.True(File.Exists(Path.Combine(remote, RolloutEngines.WeightsFolder, "config.json")));

        // the control: without weight sync the server keeps the weights it last loaded, and the run drifts from the local one
        string unsynced = Train(model, "unsynced", "rollout.engine=openai", $"rollout.endpoints=[\"{server.BaseAddress}\"]");
        Assert.NotEqual(File.ReadAllLines(RunDirectory.Open(local).GroupsPath), File.ReadAllLines(RunDirectory.Open(unsynced).GroupsPath));
    }

    [Fact]
    public async Task TruncatedImportanceSamplingWeighsTheGapAndLogsIt()
    {
        string model = Path.Combine(root, "tiny");
        ModelInit.Create(ModelInit.Preset("tiny"), model, 3);
        await using ServeHost server = await ServeHost.StartAsync(new ServeOptions { ModelDir = model, Port = 0, Seed = 1 });
        string run = Train(model, "tis", "run.steps=1", "rollout.engine=openai", $"rollout.endpoints=[\"{server.BaseAddress}\"]", "rollout.is_cap=2");
        MetricsRow row = Assert.Single(RunDirectory.Open(run).ReadMetrics());
        Assert.InRange(row.Values["rollout/is_weight_mean"], 0.999, 1.001); // the same model on both sides: a rounding-sized gap
        Assert.Equal(0, row.Values["rollout/is_truncated_frac"]);
        Assert.True(double.IsFinite(row.Values["loss"]));
    }

    /// <summary>The engine's log-probs come from the sampler's batched decode, the trainer's from its scoring pass:
    /// the same math in another order, so values agree to float32 rounding, not bit for bit.</summary>
    static bool Close(double a, double b) => a == b || Math.Abs(a - b) <= 1e-5 + 1e-4 * Math.Max(Math.Abs(a), Math.Abs(b));

    string Train(string model, string name, params string[] more)
    {
        TrainConfig config = RlTrainerTests.SmallConfig([$"run.out_dir={root}", $"run.name={name}", "run.steps=3", "run.checkpoint_every=0",
            "run.tensorboard=false", "algorithm.shapers=[]", .. more]); // later overrides win
        using PolicyModel policy = PolicyModel.LoadPretrained(model);
        TrainingSetup.PreparePolicy(policy.Model, config);
        var run = new RlRun(config, policy.Model, model, () => PolicyModel.LoadPretrained(model).Model,
            new FakeEnvironment(policy.Config.VocabSize), FakeEnvironment.Problems(6), padTokenId: 0, new PlainProgressReporter(TextWriter.Null));
        return run.Execute().RunDir;
    }
}
