// A compact one-line-per-step view of the most telling metrics, for logs and non-interactive terminals.
using System.Globalization;
using Ispo.Training.Reports;

namespace Ispo.Training.Runs;

public sealed class ConsoleMetricsSink(TextWriter output, IReadOnlyList<string>? keys = null, int every = 1) : IMetricsSink
{
    /// <summary>Rewards, zero-std fraction and clip fractions first: with μ = 1 the loss alone says little.</summary>
    public static readonly IReadOnlyList<string> DefaultKeys =
    [
        MetricNames.Reward, MetricNames.Accuracy, MetricNames.FracRewardZeroStd, MetricNames.ClipRatioRegion,
        MetricNames.Entropy, MetricNames.Loss, MetricNames.MeanLength, MetricNames.StepTime,
    ];

    public void Write(int step, IReadOnlyDictionary<string, double> metrics)
    {
        if (step % every != 0) return;
        var parts = (keys ?? DefaultKeys).Where(metrics.ContainsKey).Select(k => $"{k}={Format(metrics[k])}");
        output.WriteLine($"step {step} | " + string.Join(" ", parts));
    }

    static string Format(double v) => v.ToString(Math.Abs(v) >= 1000 ? "F0" : "G4", CultureInfo.InvariantCulture);

    public void Dispose() => output.Flush();
}
