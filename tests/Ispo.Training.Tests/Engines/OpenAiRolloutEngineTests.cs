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
    internal static bool Compared(string key) => !key.StartsWith("time/", StringComparison.Ordinal) && key is not ("step_time" or "tokens_per_second")
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

        AssertTrainsAlike(local, remote);
        Assert.True(File.Exists(Path.Combine(remote, RolloutEngines.WeightsFolder, "config.json")));

        // the control: without weight sync the server keeps the weights it last loaded, and the run drifts from the local one
        string unsynced = Train(model, "unsynced", "rollout.engine=openai", $"rollout.endpoints=[\"{server.BaseAddress}\"]");
        Assert.NotEqual(File.ReadAllLines(RunDirectory.Open(local).GroupsPath), File.ReadAllLines(RunDirectory.Open(unsynced).GroupsPath));
    }

    /// <summary>Every metric within float rounding, every sample (tokens decoded by the task) and reward the same: the
    /// trainer's groups log holds them.</summary>
    internal static void AssertTrainsAlike(string local, string remote, int steps = 3)
    {
        var localRows = RunDirectory.Open(local).ReadMetrics();
        var remoteRows = RunDirectory.Open(remote).ReadMetrics();
        Assert.Equal(steps, localRows.Count);
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
        Assert.Equal(File.ReadAllLines(RunDirectory.Open(local).GroupsPath), File.ReadAllLines(RunDirectory.Open(remote).GroupsPath));
    }

    internal const string Lora = "model.lora={rank: 4, alpha: 8, target_modules: [q_proj, v_proj, up_proj]}";

    [Fact]
    public async Task OpenAiEngineWithLoraSyncTrainsAsTheLocalSamplerDoes()
    {
        string model = Path.Combine(root, "tiny");
        ModelInit.Create(ModelInit.Preset("tiny"), model, 3);
        await using ServeHost server = await ServeHost.StartAsync(new ServeOptions
        {
            ModelDir = model, Port = 0, BatchWindow = TimeSpan.FromMilliseconds(5), Seed = 1,
        });

        string local = Train(model, "local", Lora);
        string remote = Train(model, "remote", Lora, "rollout.engine=openai", $"rollout.endpoints=[\"{server.BaseAddress}\"]", "rollout.weight_sync=lora");
        AssertTrainsAlike(local, remote);
        // one adapter folder left, the last one's (each sync unloads and deletes the one before), and the server serves only it
        string folder = Path.Combine(remote, RolloutEngines.WeightsFolder);
        Assert.Equal(["step3"], Directory.GetDirectories(folder).Select(Path.GetFileName));
        Assert.True(File.Exists(Path.Combine(folder, "step3", "adapter_model.safetensors")));
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        string models = await http.GetStringAsync("/v1/models");
        Assert.Contains("\"remote-step3\"", models);
        Assert.DoesNotContain("\"remote-step2\"", models);

        // the control: the same engine without sync samples the base model, off the trainer's policy once it has an update
        // (a LoRA's first updates move the policy too little to be sure a sampled token changes, so the gap is the test)
        string unsynced = Train(model, "unsynced", Lora, "rollout.engine=openai", $"rollout.endpoints=[\"{server.BaseAddress}\"]");
        var gaps = RunDirectory.Open(unsynced).ReadMetrics().Select(r => r.Values["rollout/logprob_diff_max"]).ToList();
        Assert.InRange(gaps[0], 0, 1e-4);                    // step 1: both sides still the initial policy (B = 0)
        Assert.All(gaps.Skip(1), gap => Assert.True(gap > 1e-3, $"unsynced gap {gap}"));
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
    internal static bool Close(double a, double b) => a == b || Math.Abs(a - b) <= 1e-5 + 1e-4 * Math.Max(Math.Abs(a), Math.Abs(b));

    string Train(string model, string name, params string[] more) => TrainIn(root, model, name, more);

    /// <summary>A 3-step run of the small test recipe on <paramref name="model"/>, in <paramref name="root"/>/<paramref name="name"/>.</summary>
    internal static string TrainIn(string root, string model, string name, params string[] more)
    {
        (RlRun run, LoadedModel policy) = NewRun(root, model, name, more);
        using (policy) return run.Execute().RunDir;
    }

    /// <summary>The run <see cref="TrainIn"/> executes, for callers that step it themselves; they dispose the policy.</summary>
    internal static (RlRun Run, LoadedModel Policy) NewRun(string root, string model, string name, params string[] more)
    {
        TrainConfig config = RlTrainerTests.SmallConfig([$"run.out_dir={root}", $"run.name={name}", "run.steps=3", "run.checkpoint_every=0",
            "run.tensorboard=false", "algorithm.shapers=[]", .. more]); // later overrides win
        LoadedModel policy = LoadedModel.LoadPretrained(model);
        TrainingSetup.PreparePolicy(policy.Model, config);
        var run = new RlRun(config, policy.Model, model, () => LoadedModel.LoadPretrained(model).Model,
            new FakeEnvironment(policy.Config.VocabSize), FakeEnvironment.Problems(6), padTokenId: 0, new PlainProgressReporter(TextWriter.Null));
        return (run, policy);
    }
}
