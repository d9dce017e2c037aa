// The report's figures: which metrics each one overlays, and whether it marks τ_H.
namespace Ispo.Training.Reports;

/// <param name="File">PNG file name.</param>
/// <param name="Title">Figure title and markdown heading.</param>
/// <param name="YLabel">Y axis label.</param>
/// <param name="Metrics">Metrics drawn, one line per run and metric.</param>
/// <param name="MarkTauH">Draw each run's τ_H as a horizontal line.</param>
public sealed record PlotSpec(string File, string Title, string YLabel, IReadOnlyList<string> Metrics, bool MarkTauH = false)
{
    public static IReadOnlyList<PlotSpec> Standard(IEnumerable<string> logged)
    {
        string[] eval = logged.Where(m => m.StartsWith("eval/", StringComparison.Ordinal)).Order().ToArray();
        string[] phases = logged.Where(m => m.StartsWith("time/", StringComparison.Ordinal)).Order().ToArray();
        return
        [
            new("reward.png", "Reward and training accuracy", "mean over rollouts", [MetricNames.Reward, MetricNames.Accuracy]),
            new("zero_advantage.png", "Zero-advantage rate (groups with zero reward spread)", "fraction of groups", [MetricNames.FracRewardZeroStd]),
            new("critical_entropy.png", "Entropy at critical tokens and at the top-10% entropy tokens (hallucinated certainty)", "nats",
                [MetricNames.EntropyCriticalIncorrect, MetricNames.EntropyCriticalCorrect, MetricNames.EntropyHighIncorrect,
                 MetricNames.EntropyHighCorrect], MarkTauH: true),
            new("ifd.png", "Conditional IFD by outcome", "nats per answer token", [MetricNames.IfdCorrect, MetricNames.IfdIncorrect]),
            new("critical_sets.png", "Critical-set sizes", "fraction of generated tokens",
                [MetricNames.CriticalFrac, MetricNames.EntropySetFrac, MetricNames.DriftSetFrac]),
            new("eval.png", "Held-out accuracy", "accuracy", eval),
            new("entropy_length.png", "Policy entropy and completion length", "value", [MetricNames.Entropy, MetricNames.MeanLength]),
            new("timings.png", "Step time and phases", "seconds", [MetricNames.StepTime, .. phases]),
        ];
    }
}
