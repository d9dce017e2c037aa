using Ispo.Training.Progress;
using Spectre.Console;

namespace Ispo.Training.Tests.Progress;

public class ProgressReporterTests
{
    [Fact]
    public void SnapshotLineAndEta()
    {
        var s = new ProgressSnapshot(12, 20, 4, TimeSpan.FromSeconds(8), Reward: 0.4124, ZeroAdvantageFraction: 0.25, TokensPerSecond: 1234.4);
        Assert.Equal(TimeSpan.FromSeconds(16), s.Eta);  // 2 s/step × 8 steps left
        Assert.Equal("step 12/20 | reward 0.412 | zero-adv 0.25 | 1234 tok/s | eta 0:00:16", s.ToLine());
        Assert.Null((s with { StepsThisSession = 0 }).Eta);
    }

    [Fact]
    public void PlainReporterWritesStepAndLogLines()
    {
        var output = new StringWriter();
        using (var reporter = ProgressReporters.Create("t", output, every: 2))
        {
            reporter.Phase("sampling");
            reporter.Step(new ProgressSnapshot(1, 3, 1, TimeSpan.FromSeconds(1)));
            reporter.Step(new ProgressSnapshot(2, 3, 2, TimeSpan.FromSeconds(2)));
            reporter.Log("checkpoint saved");
            reporter.Step(new ProgressSnapshot(3, 3, 3, TimeSpan.FromSeconds(3)));
        }
        Assert.Equal(["step 2/3 | eta 0:00:01", "checkpoint saved", "step 3/3 | eta 0:00:00"], output.ToString().TrimEnd().Split('\n'));
    }

    [Fact]
    public void LabelledReporterNamesTheRunInStepAndLogLines()
    {
        var output = new StringWriter();
        using (var reporter = ProgressReporters.Create("t", output, every: 1))
        {
            var grpo = new LabelledProgressReporter(reporter, "grpo");
            var ispo = new LabelledProgressReporter(reporter, "ispo");
            grpo.Step(new ProgressSnapshot(1, 2, 1, TimeSpan.FromSeconds(1)));
            ispo.Step(new ProgressSnapshot(1, 2, 1, TimeSpan.FromSeconds(2)));
            ispo.Log("checkpoint saved");
            grpo.Dispose(); // leaves the shared reporter open
            ispo.Step(new ProgressSnapshot(2, 2, 2, TimeSpan.FromSeconds(4)));
        }
        Assert.Equal(["grpo step 1/2 | eta 0:00:01", "ispo step 1/2 | eta 0:00:02", "ispo: checkpoint saved", "ispo step 2/2 | eta 0:00:00"],
            output.ToString().TrimEnd().Split('\n'));
    }

    [Fact]
    public void LiveReporterRendersTheLastStepAndStopsCleanly()
    {
        var writer = new StringWriter();
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No,
        });
        using (var reporter = new LiveProgressReporter("demo grpo", console))
        {
            reporter.Phase("update");
            reporter.Step(new ProgressSnapshot(5, 10, 5, TimeSpan.FromSeconds(5), Reward: 0.75, ZeroAdvantageFraction: 0.125));
            reporter.Log("eval tier3 0.41");
        }
        string text = writer.ToString();
        Assert.Contains("demo grpo", text);
        Assert.Contains("5/10", text);
        Assert.Contains("0.75", text);
        Assert.Contains("eval tier3 0.41", text);
    }
}
