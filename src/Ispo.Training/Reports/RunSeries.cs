// One run's metrics as the report sees them: a label, its rows, and the τ_H its config used (ISPO's default for
// runs without ISPO: the high-entropy curves of every run are read against it).
using Ispo.Algorithms;
using Ispo.Training.Runs;

namespace Ispo.Training.Reports;

public sealed record RunSeries(string Label, string Root, IReadOnlyList<MetricsRow> Rows, double? TauH)
{
    /// <summary>Reads metrics.jsonl and config.yaml of a run directory (a missing config just means no τ_H line).</summary>
    public static RunSeries Load(string runDir, string? label = null)
    {
        RunDirectory run = RunDirectory.Open(runDir);
        var config = run.TryLoadConfig();
        return new RunSeries(label ?? Path.GetFileName(run.Root), run.Root, run.ReadMetrics(),
            config is null ? null : (config.Algorithm.Shapers.Select(s => s.Options).OfType<IspoOptions>().FirstOrDefault() ?? new IspoOptions()).TauH);
    }

    /// <summary>(steps, values) of a metric, skipping steps where it is missing or not finite.</summary>
    public (double[] Steps, double[] Values) Series(string metric)
    {
        var points = Rows.Where(r => r.Values.TryGetValue(metric, out double v) && double.IsFinite(v))
            .Select(r => (step: (double)r.Step, value: r.Values[metric])).ToArray();
        return (points.Select(p => p.step).ToArray(), points.Select(p => p.value).ToArray());
    }

    public bool Has(string metric) => Series(metric).Steps.Length > 0;

    public IEnumerable<string> MetricNamesLogged => Rows.SelectMany(r => r.Values.Keys).Distinct();

    /// <summary>Last finite value of a metric, or null.</summary>
    public double? Last(string metric) => Series(metric).Values is { Length: > 0 } v ? v[^1] : null;

    /// <summary>Mean over steps of a metric, or null.</summary>
    public double? Mean(string metric) => Series(metric).Values is { Length: > 0 } v ? v.Average() : null;
}
