using Ispo.Training.Configuration;
using Ispo.Training.Reports;
using Ispo.Training.Runs;

namespace Ispo.Training.Tests.Runs;

public class RunDirectoryTests
{
    static TrainConfig Config(string outDir) => TrainConfig.Load(null, [$"run.out_dir={outDir}", "run.name=r1", "run.keep_last=2"]);

    [Fact]
    public void StartSavesTheResolvedConfigWhichLoadsBackEqual()
    {
        using var dir = new TempDir();
        TrainConfig config = Config(dir.Path);
        RunDirectory run = RunDirectory.Start(config);
        Assert.Equal(Path.Combine(dir.Path, "r1"), run.Root);
        Assert.Equal(config.ToYaml(), run.TryLoadConfig()!.ToYaml());
        Assert.Equal(2, run.Checkpoints.KeepLast);
    }

    [Fact]
    public void MetricsAreOneFlushedLinePerStepAndReadBack()
    {
        using var dir = new TempDir();
        RunDirectory run = RunDirectory.Start(Config(dir.Path));
        using (IMetricsSink sink = run.OpenMetricsSinks(tensorboard: false))
        {
            sink.Write(1, new Dictionary<string, double> { [MetricNames.Reward] = 0.1, [MetricNames.Loss] = double.NaN });
            Assert.Single(File.ReadAllLines(run.MetricsPath));  // flushed before dispose
            sink.Write(2, new Dictionary<string, double> { [MetricNames.Reward] = 1.0 / 3 });
        }
        Assert.Equal("{\"step\":1,\"reward\":0.1,\"loss\":null}", File.ReadAllLines(run.MetricsPath)[0]);
        IReadOnlyList<MetricsRow> rows = run.ReadMetrics();
        Assert.Equal([1, 2], rows.Select(r => r.Step));
        Assert.True(double.IsNaN(rows[0].Values[MetricNames.Loss]));
        Assert.Equal(1.0 / 3, rows[1].Values[MetricNames.Reward]);  // round-trips exactly
    }

    [Fact]
    public void ANewRunRefusesAFolderWithMetricsUnlessResuming()
    {
        using var dir = new TempDir();
        TrainConfig config = Config(dir.Path);
        RunDirectory run = RunDirectory.Start(config);
        using (var sink = new JsonlMetricsSink(run.MetricsPath)) sink.Write(1, new Dictionary<string, double> { ["reward"] = 1 });
        Assert.Throws<InvalidOperationException>(() => RunDirectory.Start(config));
        Assert.Equal(run.Root, RunDirectory.Start(config, resume: true).Root);
        Assert.Throws<InvalidOperationException>(() => RunDirectory.Start(config with { Run = config.Run with { Name = "nope" } }, resume: true));
    }

    [Fact]
    public void TruncateLogsAfterDropsLaterStepsFromMetricsAndSamples()
    {
        using var dir = new TempDir();
        RunDirectory run = RunDirectory.Start(Config(dir.Path));
        using (var sink = new JsonlMetricsSink(run.MetricsPath))
            for (int step = 1; step <= 5; step++) sink.Write(step, new Dictionary<string, double> { ["reward"] = step });
        run.AppendSamples([Sample(2), Sample(4)]);
        run.TruncateLogsAfter(3);
        Assert.Equal([1, 2, 3], run.ReadMetrics().Select(r => r.Step));
        string sample = Assert.Single(File.ReadAllLines(run.SamplesPath));
        Assert.Contains("\"step\":2", sample);
        Assert.Contains("\"rewards\":{\"outcome\":1,\"ifd\":\"NaN\"}", sample);
    }

    [Fact]
    public void TruncateLogsAfterDropsATornLastLine()
    {
        using var dir = new TempDir();
        RunDirectory run = RunDirectory.Start(Config(dir.Path));
        using (var sink = new JsonlMetricsSink(run.MetricsPath))
            for (int step = 1; step <= 2; step++) sink.Write(step, new Dictionary<string, double> { ["reward"] = step });
        File.AppendAllText(run.MetricsPath, "{\"step\":3,\"rew");   // killed while writing step 3
        run.TruncateLogsAfter(2);
        Assert.Equal([1, 2], run.ReadMetrics().Select(r => r.Step));
        Assert.Equal(2, File.ReadAllLines(run.MetricsPath).Length);
    }

    [Fact]
    public void TensorBoardSinkWritesAnEventFile()
    {
        using var dir = new TempDir();
        using (var sink = new TensorBoardMetricsSink(dir.Path))
            sink.Write(1, new Dictionary<string, double> { ["reward"] = 0.5, ["ispo/ifd_correct"] = 0.1, ["bad"] = double.NaN });
        string file = Assert.Single(Directory.GetFiles(dir.Path, "events.out.tfevents.*", SearchOption.AllDirectories));
        Assert.True(new FileInfo(file).Length > 40);
    }

    [Fact]
    public void ConsoleSinkShowsTheHeadlineMetrics()
    {
        var output = new StringWriter();
        using (var sink = new ConsoleMetricsSink(output))
            sink.Write(7, new Dictionary<string, double> { [MetricNames.Reward] = 0.25, [MetricNames.FracRewardZeroStd] = 0.5, ["other"] = 1 });
        Assert.Equal("step 7 | reward=0.25 frac_reward_zero_std=0.5", output.ToString().Trim());
    }

    static RolloutSample Sample(int step) =>
        new(step, 0, "q", "a \\boxed{1}", "1", "1", 1.0, 0.5, new Dictionary<string, double> { ["outcome"] = 1, ["ifd"] = double.NaN }, false);
}
