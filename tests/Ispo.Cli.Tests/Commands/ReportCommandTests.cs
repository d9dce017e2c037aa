using Ispo.Training.Reports;
using Ispo.Training.Runs;

namespace Ispo.Cli.Tests.Commands;

public class ReportCommandTests
{
    [Fact]
    public void WritesAReportForARunDirectory()
    {
        string root = Path.Combine(Path.GetTempPath(), "ispo-cli-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            string run = Path.Combine(root, "grpo");
            Directory.CreateDirectory(run);
            using (var sink = new JsonlMetricsSink(Path.Combine(run, RunDirectory.MetricsFile)))
                for (int step = 1; step <= 5; step++)
                    sink.Write(step, new Dictionary<string, double> { [MetricNames.Reward] = step / 10.0, [MetricNames.FracRewardZeroStd] = 0.25 });
            var output = new StringWriter();
            Assert.Equal(0, IspoCli.Run(["report", run], output, new StringWriter()));
            Assert.True(File.Exists(Path.Combine(run, "report", "reward.png")));
            Assert.Contains("report.md", output.ToString());
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    [Fact]
    public void MissingRunDirectoryFails()
    {
        var error = new StringWriter();
        Assert.Equal(2, IspoCli.Run(["report", "/no/such/run"], new StringWriter(), error));
        Assert.Contains("run directory not found", error.ToString());
    }
}
