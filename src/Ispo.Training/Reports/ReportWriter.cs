// `ispo report`: a markdown report with PNG plots overlaying one or more runs; plots only what was logged.
using Ispo.Models.Checkpoints;
using System.Globalization;
using System.Text;
using Ispo.Training.Runs;
using ScottPlot;

namespace Ispo.Training.Reports;

public static class ReportWriter
{
    public const string ReportFile = "report.md";

    /// <summary>Writes <c>report.md</c> and its PNGs into <paramref name="outDir"/>; returns the report's path.</summary>
    public static string Write(IReadOnlyList<string> runDirs, string outDir, int width = 900, int height = 500)
    {
        if (runDirs.Count == 0) throw new ArgumentException("give at least one run directory", nameof(runDirs));
        var runs = Label(runDirs.Select(d => RunSeries.Load(d)).ToList());
        Directory.CreateDirectory(outDir);
        var md = new StringBuilder("# Ispo training report\n\n");
        AppendSummary(md, runs);
        AppendZeroAdvantageFate(md, runDirs, runs);
        var missing = new List<string>();
        foreach (PlotSpec spec in PlotSpec.Standard(runs.SelectMany(r => r.MetricNamesLogged)))
        {
            if (!runs.Any(r => spec.Metrics.Any(r.Has))) { missing.Add(spec.Title); continue; }
            Render(spec, runs).SavePng(Path.Combine(outDir, spec.File), width, height);
            md.Append("## ").Append(spec.Title).Append("\n\n![").Append(spec.Title).Append("](").Append(spec.File).Append(")\n\n");
        }
        if (missing.Count > 0) md.Append("Not logged by any run: ").AppendJoin("; ", missing).Append(".\n");
        string path = Path.Combine(outDir, ReportFile);
        AtomicFile.WriteAllText(path, md.ToString());
        return path;
    }

    /// <summary>Folder names as labels, made unique by prefixing the parent folder when two runs share a name.</summary>
    static List<RunSeries> Label(List<RunSeries> runs) =>
        runs.Select(r => runs.Count(o => o.Label == r.Label) > 1
            ? r with { Label = Path.GetFileName(Path.GetDirectoryName(r.Root)) + "/" + r.Label } : r).ToList();

    static void AppendSummary(StringBuilder md, IReadOnlyList<RunSeries> runs)
    {
        md.Append("| run | steps | final reward | final accuracy | mean zero-adv rate | mean step time (s) |\n");
        md.Append("|---|---|---|---|---|---|\n");
        foreach (RunSeries r in runs)
            md.Append($"| {r.Label} | {(r.Rows.Count == 0 ? 0 : r.Rows[^1].Step)} | {F(r.Last(MetricNames.Reward))} | " +
                $"{F(r.Last(MetricNames.Accuracy))} | {F(r.Mean(MetricNames.FracRewardZeroStd))} | {F(r.Mean(MetricNames.StepTime))} |\n");
        md.Append('\n');
    }

    static void AppendZeroAdvantageFate(StringBuilder md, IReadOnlyList<string> runDirs, IReadOnlyList<RunSeries> runs)
    {
        var fates = runDirs.Select(d => ZeroAdvantageFate.From(RunDirectory.Open(d).ReadGroups())).ToList();
        if (fates.All(f => f.AllWrongPrompts == 0)) return;
        md.Append("## Fate of zero-advantage prompts\n\nPrompts whose whole group was wrong at some step, and what happened when ")
          .Append("they were drawn again later in the run.\n\n")
          .Append("| run | all-wrong prompts | drawn again | later solved | fraction solved |\n|---|---|---|---|---|\n");
        for (int i = 0; i < runs.Count; i++)
            md.Append($"| {runs[i].Label} | {fates[i].AllWrongPrompts} | {fates[i].RevisitedPrompts} | {fates[i].LaterSolved} | {F(fates[i].SolvedFraction)} |\n");
        md.Append('\n');
    }

    static Plot Render(PlotSpec spec, IReadOnlyList<RunSeries> runs)
    {
        var plot = new Plot();
        var palette = new ScottPlot.Palettes.Category10();
        int color = 0;
        foreach (RunSeries run in runs)
            foreach (string metric in spec.Metrics.Where(run.Has))
            {
                var (steps, values) = run.Series(metric);
                var line = plot.Add.Scatter(steps, values, palette.GetColor(color++));
                line.MarkerSize = steps.Length > 60 ? 0 : 4;
                line.LineWidth = 1.5f;
                line.LegendText = runs.Count == 1 ? metric : spec.Metrics.Count == 1 ? run.Label : $"{run.Label}: {metric}";
            }
        if (spec.MarkTauH)
            foreach (double tau in runs.Select(r => r.TauH).OfType<double>().Distinct())
            {
                var h = plot.Add.HorizontalLine(tau, 1.5f, Colors.Gray, LinePattern.Dashed);
                h.LegendText = "τ_H = " + F(tau);
            }
        plot.Title(spec.Title);
        plot.XLabel("step");
        plot.YLabel(spec.YLabel);
        plot.ShowLegend(Edge.Bottom);  // outside the data area: RL curves fill the whole frame
        return plot;
    }

    static string F(double? v) => v is { } x ? x.ToString("0.###", CultureInfo.InvariantCulture) : "–";
}
