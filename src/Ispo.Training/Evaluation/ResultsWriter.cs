// Writes results.json ({"benchmarks": {name: metrics}, "average": metrics}) and a markdown table (results.md).
using Ispo.Models.Checkpoints;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ispo.Training.Evaluation;

public static class ResultsWriter
{
    public const string JsonFileName = "results.json", MarkdownFileName = "results.md";

    public static void Write(string outputDir, EvaluationResults results)
    {
        Directory.CreateDirectory(outputDir);
        AtomicFile.WriteAllText(Path.Combine(outputDir, JsonFileName), ToJson(results));
        AtomicFile.WriteAllText(Path.Combine(outputDir, MarkdownFileName), ToMarkdown(results));
    }

    public static string ToJson(EvaluationResults results)
    {
        var benchmarks = new JsonObject();
        foreach ((string name, BenchmarkMetrics metrics) in results.Benchmarks)
            benchmarks[name] = ToJson(metrics);
        var root = new JsonObject { ["benchmarks"] = benchmarks, ["average"] = ToJson(results.Average) };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>"samples" is K (samples per problem); "completions" is the total graded.</summary>
    static JsonObject ToJson(BenchmarkMetrics m)
    {
        var passAtK = new JsonObject();
        foreach ((int k, double value) in m.PassAt)
            passAtK[$"pass@{k}"] = value;
        return new JsonObject
        {
            ["pass@1"] = m.PassAt1,
            ["problems"] = m.Problems,
            ["samples"] = m.SamplesPerProblem,
            ["completions"] = m.Completions,
            ["pass@k"] = passAtK,
            ["extraction_failure_rate"] = m.ExtractionFailureRate,
            ["mean_length"] = m.MeanLength,
            ["truncated_rate"] = m.TruncatedRate,
        };
    }

    /// <summary>One row per benchmark plus the average; rates as percentages.</summary>
    public static string ToMarkdown(EvaluationResults results)
    {
        IReadOnlyList<int> ks = results.Average.PassAt.Keys.Order().ToList();
        var text = new StringBuilder();
        text.AppendLine($"| benchmark | problems | samples | {string.Join(" | ", ks.Select(k => $"pass@{k}"))} | no answer | mean length |");
        text.AppendLine($"|---|---:|---:|{string.Concat(ks.Select(_ => "---:|"))}---:|---:|");
        foreach ((string name, BenchmarkMetrics m) in results.Benchmarks.Append(("**average**", results.Average)))
        {
            string passes = string.Join(" | ", ks.Select(k => m.PassAt.TryGetValue(k, out double v) ? Percent(v) : "–"));
            text.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {m.Problems} | {m.SamplesPerProblem} | {passes} | {Percent(m.ExtractionFailureRate)} | {m.MeanLength:F1} |"));
        }
        return text.ToString();
    }

    static string Percent(double value) => (100 * value).ToString("F1", CultureInfo.InvariantCulture);
}
