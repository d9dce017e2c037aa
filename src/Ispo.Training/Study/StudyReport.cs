// The study's report: report/report.md with the preconditions, accuracy with 95% intervals and paired differences to
// GRPO, the paper's Table 3 (cost, zero-advantage groups, useful rollouts) and Table 5 (critical-set sizes), then the
// training curves of the first seed's main runs (ReportWriter: critical-token entropy by outcome with τ_H, IFD by
// outcome, the fate of all-wrong prompts, …).
using System.Globalization;
using System.Text;
using Ispo.Models.Checkpoints;
using Ispo.Training.Reports;

namespace Ispo.Training.Study;

public static class StudyReport
{
    public static string Write(string outDir, IReadOnlyList<StudyCell> cells, StudySummary summary)
    {
        string reportDir = Path.Combine(outDir, "report");
        StudyCell first = cells[0];
        var curveRuns = first.Methods.Where(m => m.Role == MethodRole.Main)
            .Select(m => Path.Combine(outDir, first.Folder, "runs", m.Name)).Where(Directory.Exists).ToList();
        string curves = curveRuns.Count > 0 ? File.ReadAllText(ReportWriter.Write(curveRuns, reportDir)) : "";
        var md = new StringBuilder("# Ispo study: ISPO against GRPO and the ablations\n\n");
        AppendProtocol(md, summary.Protocol);
        if (summary.Preconditions is { } main) AppendPreconditions(md, "Preconditions at RL step 0 (main size)", main);
        if (summary.Methods.Count > 0) AppendAccuracy(md, "Main size", summary.Methods, summary.Protocol.EvalTiers);
        if (summary.PreconditionsSecondSize is { } second) AppendPreconditions(md, $"Preconditions at RL step 0 ({summary.Protocol.SecondPreset})", second);
        if (summary.SecondSize.Count > 0) AppendAccuracy(md, $"Second size ({summary.Protocol.SecondPreset})", summary.SecondSize, summary.Protocol.EvalTiers);
        AppendCriticalSets(md, summary.Methods);
        if (curves.Length > 0)
            md.Append($"## Training curves (seed {first.Seed}, main methods)\n\n").Append(curves[(curves.IndexOf('\n') + 1)..].Replace("\n## ", "\n### "));
        string path = Path.Combine(reportDir, ReportWriter.ReportFile);
        AtomicFile.WriteAllText(path, md.ToString());
        return path;
    }

    static void AppendProtocol(StringBuilder md, StudyProtocol p)
    {
        md.Append($"Protocol (fixed before the runs): base model `{p.MainPreset}` pretrained per seed on the task's corpus; RL on tiers ")
          .Append(string.Join(", ", p.TrainingTiers)).Append($" for {p.RlSteps} steps; seeds {string.Join(", ", p.Seeds)} for the main methods, ")
          .Append($"the ablations on seed {p.Seeds[0]}; held-out: {p.ProblemsPerTier} problems per tier, greedy")
          .Append(p.EvalSamples > 0 ? $", and {p.EvalSamples} samples at T = {F(p.EvalTemperature)} (avg@{p.EvalSamples}, pass@{p.EvalSamples}; not for the ablations)" : " only")
          .Append($". ISPO's answer span: `{p.AnswerSpan}`; unanswered rollouts: `{p.NoAnswer}`. ")
          .Append("Intervals: 95%, between-seed (Student's t) and between-problem (normal) terms added; differences are paired.\n\n");
        md.Append("| method | what it is |\n|---|---|\n");
        foreach (var (name, description) in p.Methods) md.Append($"| {name} | {description} |\n");
        md.Append('\n');
    }

    static void AppendPreconditions(StringBuilder md, string title, PreconditionSummary p)
    {
        md.Append($"## {title}\n\n| seed | top-10% entropy | mean entropy | GRPO zero-adv | identical groups | tier {p.HardestTier} pass@1 | pass@8 |\n|---|---|---|---|---|---|---|\n");
        for (int i = 0; i < p.BySeed.Count; i++)
        {
            PreconditionFigures f = p.BySeed[i];
            md.Append($"| {p.Seeds[i]} | {F(f.Top10Entropy)} | {F(f.MeanEntropy)} | {F(f.GrpoZeroAdvRate)} | {F(f.IdenticalGroupFrac)} | {F(f.Pass1Hardest)} | {F(f.Pass8Hardest)} |\n");
        }
        md.Append($"| mean | {F(p.Top10Entropy)} | {F(p.MeanEntropy)} | {F(p.GrpoZeroAdvRate)} | {F(p.IdenticalGroupFrac)} | {F(p.Pass1Hardest)} | {F(p.Pass8Hardest)} |\n\n");
        md.Append("Checks: ").Append(string.Join("; ", p.Checks.Select(c => $"{c.Key}: **{(c.Value ? "met" : "not met")}**"))).Append(".\n\n");
    }

    static void AppendAccuracy(StringBuilder md, string title, IReadOnlyDictionary<string, MethodSummary> methods, int[] tiers)
    {
        string header = string.Concat(tiers.Select(t => $" tier {t} |")), rule = string.Concat(tiers.Select(_ => "---|"));
        md.Append($"## {title}: greedy accuracy, 95% interval\n\n| method | seeds |{header}\n|---|---|{rule}\n");
        foreach (var (name, m) in methods)
            md.Append($"| {name} | {m.Seeds.Length} |").Append(string.Concat(tiers.Select((_, i) => $" {F(m.AccuracyByTier[i])} [{F(m.Ci95ByTier[i][0])}, {F(m.Ci95ByTier[i][1])}] |"))).Append('\n');
        md.Append($"\n## {title}: difference to GRPO (paired, greedy), 95% interval\n\n| method |{header}\n|---|{rule}\n");
        foreach (var (name, m) in methods.Where(m => m.Value.DiffVsGrpoByTier is not null))
            md.Append($"| {name} − grpo |").Append(string.Concat(tiers.Select((_, i) =>
                $" {Signed(m.DiffVsGrpoByTier![i])} [{Signed(m.DiffVsGrpoCi95ByTier![i][0])}, {Signed(m.DiffVsGrpoCi95ByTier[i][1])}] |"))).Append('\n');
        md.Append($"\n## {title}: avg@K and pass@K (sampled)\n\n| method |{string.Concat(tiers.Select(t => $" tier {t} avg / pass |"))}\n|---|{rule}\n");
        foreach (var (name, m) in methods.Where(m => m.Value.Avg8ByTier is not null))
            md.Append($"| {name} |").Append(string.Concat(tiers.Select((_, i) => $" {F(m.Avg8ByTier![i])} / {F(m.Pass8ByTier![i])} |"))).Append('\n');
        md.Append($"\n## {title}: cost and signal (the paper's Table 3)\n\n| method | s/step | zero-advantage groups | useful rollouts |\n|---|---|---|---|\n");
        foreach (var (name, m) in methods.Where(m => m.Value.StepTimeS is not null))
            md.Append($"| {name} | {F(m.StepTimeS)} | {Pct(m.ZeroAdvRate)} | {Pct(m.UsefulRolloutFrac)} |\n");
        md.Append('\n');
    }

    static void AppendCriticalSets(StringBuilder md, IReadOnlyDictionary<string, MethodSummary> methods)
    {
        var withSets = methods.Where(m => m.Value.CriticalSets is not null).ToList();
        if (withSets.Count == 0) return;
        md.Append("## Critical-set sizes, % of generated tokens (the paper's Table 5; first seed)\n\n")
          .Append("| method | set | first step | 10% | 50% | 100% |\n|---|---|---|---|---|---|\n");
        foreach (var (name, m) in withSets)
            foreach (string set in new[] { "entropy_set_frac", "drift_set_frac", "critical_frac" }.Where(m.CriticalSets!.ContainsKey))
                md.Append($"| {name} | {set switch { "entropy_set_frac" => "𝒜", "drift_set_frac" => "C_Δ", _ => "C" }} |")
                  .Append(string.Concat(m.CriticalSets![set].Select(v => $" {Pct(v)} |"))).Append('\n');
        md.Append('\n');
    }

    static string F(double? v) => v is { } x ? x.ToString("0.000", CultureInfo.InvariantCulture) : "–";
    static string Signed(double v) => v.ToString("+0.000;−0.000;0.000", CultureInfo.InvariantCulture);
    static string Pct(double? v) => v is { } x ? (100 * x).ToString("0.0", CultureInfo.InvariantCulture) + "%" : "–";
}
