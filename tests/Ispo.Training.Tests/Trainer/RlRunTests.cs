using Ispo.Models;
using Ispo.Training.Configuration;
using Ispo.Training.Progress;
using Ispo.Training.Runs;
using Ispo.Training.Trainer;

namespace Ispo.Training.Tests.Trainer;

public sealed class RlRunTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("ispo-rlrun-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    static readonly string[] WallClockKeys = ["step_time", "tokens_per_second"];

    RlRunResult Run(TrainConfig config, bool resume, bool nanRewards = false, Func<CausalLM>? model = null)
    {
        model ??= () => RlTrainerTests.TinyModel();
        using CausalLM policy = model();
        TrainingSetup.PreparePolicy(policy, config);
        var run = new RlRun(config, policy, null, TrainingSetup.BaseModel(config, policy, model),
            new FakeEnvironment(RlTrainerTests.Tiny.VocabSize, nanRewards), FakeEnvironment.Problems(5), padTokenId: 0, new PlainProgressReporter(TextWriter.Null));
        return run.Execute(resume);
    }

    TrainConfig Config(string name, int steps, params string[] more) => RlTrainerTests.SmallConfig(
        [$"run.out_dir={root}", $"run.name={name}", $"run.steps={steps}", "run.checkpoint_every=2", "run.tensorboard=false",
         "algorithm.shapers=[ispo]", .. more]);

    static List<string> Rows(string runDir) => RunDirectory.Open(runDir).ReadMetrics()
        .Select(r => r.Step + ":" + string.Join(",", r.Values.Where(kv => !kv.Key.StartsWith("time/") && !WallClockKeys.Contains(kv.Key))
            .OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value:R}"))).ToList();

    [Fact]
    public void ResumedRunLogsExactlyWhatAnUninterruptedRunLogs()
    {
        RlRunResult whole = Run(Config("whole", 4), resume: false);
        Run(Config("split", 2), resume: false);
        RlRunResult resumed = Run(Config("split", 4), resume: true);
        Assert.Equal(4, whole.Steps);
        Assert.Equal(4, resumed.Steps);
        List<string> expected = Rows(whole.RunDir), actual = Rows(resumed.RunDir);
        Assert.Equal(4, expected.Count);
        Assert.Equal(expected, actual);
        Assert.Equal(RunDirectory.Open(whole.RunDir).ReadGroups(), RunDirectory.Open(resumed.RunDir).ReadGroups());
        Assert.Equal(4 * 2, RunDirectory.Open(resumed.RunDir).ReadGroups().Count);
    }

    [Fact]
    public void ALoraRunSavesItsAdaptersAndResumesExactly()
    {
        string[] lora = ["model.lora.rank=4", "model.lora.alpha=8", "model.lora.dropout=0.2", "model.lora.target_modules=[q_proj,v_proj,down_proj]",
            "model.gradient_checkpointing=true"];
        RlRunResult whole = Run(Config("lora-whole", 4, lora), resume: false);
        Run(Config("lora-split", 2, lora), resume: false);
        RlRunResult resumed = Run(Config("lora-split", 4, lora), resume: true);
        Assert.Equal(Rows(whole.RunDir), Rows(resumed.RunDir));
        string checkpoint = whole.FinalCheckpoint!;
        Assert.True(File.Exists(Path.Combine(checkpoint, "adapter_config.json")));
        Assert.False(File.Exists(Path.Combine(checkpoint, "model.safetensors")));  // the base never changes: not saved again
        foreach (string file in new[] { "adapter_model.safetensors", "optimizer.bin" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(checkpoint, file)), File.ReadAllBytes(Path.Combine(resumed.FinalCheckpoint!, file)));
    }

    [Fact]
    public void AMixedPrecisionRunCheckpointsItsFp32MastersAndResumesExactly()
    {
        string[] mixed = ["model.dtype=bfloat16", "model.mixed_precision=true"];
        Func<CausalLM> bf16 = () => MasterWeightsTests.Bf16Copy(RlTrainerTests.TinyModel());
        RlRunResult whole = Run(Config("mixed-whole", 4, mixed), resume: false, model: bf16);
        Run(Config("mixed-split", 2, mixed), resume: false, model: bf16);
        RlRunResult resumed = Run(Config("mixed-split", 4, mixed), resume: true, model: bf16);
        Assert.Equal(Rows(whole.RunDir), Rows(resumed.RunDir));
        foreach (string file in new[] { MasterWeights.FileName, "model.safetensors", "optimizer.bin" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(whole.FinalCheckpoint!, file)), File.ReadAllBytes(Path.Combine(resumed.FinalCheckpoint!, file)));
    }

    [Fact]
    public void AResumeAfterAKillBetweenCheckpointsLogsEveryFileAsAnUninterruptedRun()
    {
        RlRunResult whole = Run(Config("tb-whole", 4, "run.tensorboard=true"), resume: false);
        RlRunResult split = Run(Config("tb-split", 3, "run.tensorboard=true"), resume: false);
        Directory.Delete(RunDirectory.Open(split.RunDir).Checkpoints.PathOf(3), recursive: true);  // killed before step 3's save
        RlRunResult resumed = Run(Config("tb-split", 4, "run.tensorboard=true"), resume: true);
        Assert.Equal(Rows(whole.RunDir), Rows(resumed.RunDir));
        Assert.Equal(RunDirectory.Open(whole.RunDir).ReadGroups(), RunDirectory.Open(resumed.RunDir).ReadGroups());
        var expected = Scalars(whole.RunDir);
        Assert.Equal(4, expected.Select(s => s.Step).Distinct().Count());
        Assert.Equal(expected, Scalars(resumed.RunDir));  // before the fix step 3 appeared twice
    }

    static List<(string Tag, long Step, float Value)> Scalars(string runDir) => TensorBoardEvents.Scalars(RunDirectory.Open(runDir).TensorBoardDir)
        .Where(s => !s.Tag.StartsWith("time/") && !WallClockKeys.Contains(s.Tag)).Select(s => (s.Tag, s.Step, s.Value)).ToList();

    [Fact]
    public void AResumeWithLogsButNoCheckpointSaysItStartsOver()
    {
        Run(Config("no-checkpoint", 1), resume: false);
        Directory.Delete(Path.Combine(root, "no-checkpoint", RunDirectory.CheckpointsFolder), recursive: true);
        using CausalLM policy = RlTrainerTests.TinyModel();
        var log = new StringWriter();
        var run = new RlRun(Config("no-checkpoint", 1), policy, null, () => RlTrainerTests.TinyModel(), new FakeEnvironment(RlTrainerTests.Tiny.VocabSize),
            FakeEnvironment.Problems(5), padTokenId: 0, new PlainProgressReporter(log));
        Assert.Equal(1, run.Execute(resume: true).Steps);
        Assert.Contains("no complete checkpoint", log.ToString());
        Assert.Single(RunDirectory.Open(Path.Combine(root, "no-checkpoint")).ReadMetrics());
    }

    [Fact]
    public void StoppingRightAfterACheckpointDoesNotSaveItAgain()
    {
        using CausalLM policy = RlTrainerTests.TinyModel();
        var run = new RlRun(Config("stop", 4), policy, null, () => RlTrainerTests.TinyModel(), new FakeEnvironment(RlTrainerTests.Tiny.VocabSize),
            FakeEnvironment.Problems(5), padTokenId: 0, new PlainProgressReporter(TextWriter.Null));
        using (RlRun.Session session = run.Start())
        {
            session.Step();
            session.Step();                                                      // checkpoint_every = 2: step-2 saved here
            string saved = RunDirectory.Open(Path.Combine(root, "stop")).Checkpoints.PathOf(2);
            File.WriteAllText(Path.Combine(saved, "marker"), "");                // gone if the folder were written again
            RlRunResult result = session.Finish(cancelled: true);                // Ctrl-C
            Assert.Equal(saved, result.FinalCheckpoint);
            Assert.True(File.Exists(Path.Combine(saved, "marker")));
        }
        using CausalLM again = RlTrainerTests.TinyModel();
        var resumed = new RlRun(Config("stop", 4), again, null, () => RlTrainerTests.TinyModel(), new FakeEnvironment(RlTrainerTests.Tiny.VocabSize),
            FakeEnvironment.Problems(5), padTokenId: 0, new PlainProgressReporter(TextWriter.Null));
        using RlRun.Session reopened = resumed.Start(resume: true);
        Assert.EndsWith("step-2", reopened.Finish(cancelled: true).FinalCheckpoint);  // nothing ran: nothing saved again
        Assert.True(File.Exists(Path.Combine(root, "stop", "checkpoints", "step-2", "marker")));
    }

    [Fact]
    public void RunsSteppedInTurnLogWhatEachLogsAlone()
    {
        RlRunResult grpoAlone = Run(Config("grpo-alone", 3, "algorithm.shapers=[]"), resume: false);
        RlRunResult ispoAlone = Run(Config("ispo-alone", 3), resume: false);
        using CausalLM grpoPolicy = RlTrainerTests.TinyModel(), ispoPolicy = RlTrainerTests.TinyModel();
        RlRun.Session Open(TrainConfig config, CausalLM policy) => new RlRun(config, policy, null, () => RlTrainerTests.TinyModel(),
            new FakeEnvironment(RlTrainerTests.Tiny.VocabSize), FakeEnvironment.Problems(5), padTokenId: 0, new PlainProgressReporter(TextWriter.Null)).Start();
        using RlRun.Session grpo = Open(Config("grpo-turns", 3, "algorithm.shapers=[]"), grpoPolicy);
        using RlRun.Session ispo = Open(Config("ispo-turns", 3), ispoPolicy);
        while (!grpo.Done || !ispo.Done)
        {
            if (!grpo.Done) grpo.Step();
            if (!ispo.Done) ispo.Step();
        }
        Assert.Equal(Rows(grpoAlone.RunDir), Rows(grpo.Finish(cancelled: false).RunDir));
        Assert.Equal(Rows(ispoAlone.RunDir), Rows(ispo.Finish(cancelled: false).RunDir));
        Assert.NotEqual(Rows(grpoAlone.RunDir), Rows(ispoAlone.RunDir));
    }

    [Fact]
    public void RepeatedNonFiniteLossesStopTheRunWithoutACheckpoint()
    {
        var e = Assert.Throws<NonFiniteLossException>(() => Run(Config("nan", 6, "run.max_consecutive_nan=2"), resume: false, nanRewards: true));
        Assert.Contains("2 non-finite updates in a row", e.Message);
        Assert.Empty(RunDirectory.Open(Path.Combine(root, "nan")).Checkpoints.Steps());
        Assert.Equal(2, RunDirectory.Open(Path.Combine(root, "nan")).ReadMetrics().Count);
    }

    [Fact]
    public void CancelledRunSavesACheckpointAndStopsCleanly()
    {
        using var cancel = new CancellationTokenSource();
        cancel.Cancel();
        using CausalLM policy = RlTrainerTests.TinyModel();
        var run = new RlRun(Config("cancel", 3), policy, null, () => RlTrainerTests.TinyModel(), new FakeEnvironment(RlTrainerTests.Tiny.VocabSize),
            FakeEnvironment.Problems(5), 0, new PlainProgressReporter(TextWriter.Null));
        RlRunResult result = run.Execute(cancel: cancel.Token);
        Assert.True(result.Cancelled);
        Assert.NotNull(result.FinalCheckpoint);
        Assert.True(File.Exists(Path.Combine(result.FinalCheckpoint!, TrainerState.FileName)));
    }

    [Fact]
    public void HeldOutEvaluationIsLoggedEveryNStepsAndAtTheEnd()
    {
        using CausalLM policy = RlTrainerTests.TinyModel();
        int calls = 0;
        var run = new RlRun(Config("eval", 3, "eval.every=2"), policy, null, () => RlTrainerTests.TinyModel(),
            new FakeEnvironment(RlTrainerTests.Tiny.VocabSize), FakeEnvironment.Problems(5), 0, new PlainProgressReporter(TextWriter.Null),
            () => new Dictionary<string, double> { ["eval/fake/accuracy"] = ++calls });
        RlRunResult result = run.Execute();
        var rows = RunDirectory.Open(result.RunDir).ReadMetrics();
        Assert.Equal([false, true, true], rows.Select(r => r.Values.ContainsKey("eval/fake/accuracy")).ToArray());
        Assert.Equal(2.0, rows[2].Values["eval/fake/accuracy"]);
    }
}
