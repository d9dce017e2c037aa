// The real-outputs evaluation set (README.md beside this file): model outputs with trusted labels. Like the
// benchmarks it lives in shared/ (../shared/data/verify/real_outputs.jsonl from the repo root), not in the repo.
using System.Text.Json;

namespace Ispo.MathVerify.Tests.RealOutputs;

/// <param name="Question">The problem the output answers, joined from the shipped benchmarks by id (GSM8K test
/// index, MATH-500 unique_id); null for the Math-Verify cases, or without the benchmarks.</param>
public sealed record RealOutput(string Id, string Source, string Output, string Gold, bool Label, string? Question = null);

public static class RealOutputSet
{
    /// <summary>ISPO_REAL_OUTPUTS names another copy; else shared/'s; else a copy assemble.py left beside this file
    /// (git-ignored: the set's home is shared/).</summary>
    public static string Path { get; } = Environment.GetEnvironmentVariable("ISPO_REAL_OUTPUTS") is { Length: > 0 } path
        ? path
        : new[] { Shared, Local }.FirstOrDefault(File.Exists) ?? Shared;

    static string Shared => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(BenchmarkGolds.Directory)!, "verify", "real_outputs.jsonl");

    static string Local => System.IO.Path.Combine(BenchmarkGolds.RepoRoot(), "tests", "Ispo.MathVerify.Tests", "RealOutputs", "real_outputs.jsonl");

    public static bool Exists => File.Exists(Path);

    public static IReadOnlyList<RealOutput> Load()
    {
        Func<string, string?> question = Questions();
        return [.. File.ReadLines(Path).Where(line => line.Length > 0).Select(Parse).Select(c => c with { Question = question(c.Id) })];
    }

    /// <summary>The question of a case id: "gsm8k_…/{test index}[/…]" from gsm8k_test.jsonl, "math500_…/{unique_id}"
    /// from math500.jsonl (the mismatched cases answer their own problem: the id names it).</summary>
    static Func<string, string?> Questions()
    {
        string gsm8k = System.IO.Path.Combine(BenchmarkGolds.Directory, "gsm8k_test.jsonl");
        string math500 = System.IO.Path.Combine(BenchmarkGolds.Directory, "math500.jsonl");
        Dictionary<string, string> byIndex = File.Exists(gsm8k) ? Field(gsm8k, "idx", "question") : [];
        Dictionary<string, string> byUniqueId = File.Exists(math500) ? Field(math500, "unique_id", "problem") : [];
        return id =>
        {
            string[] parts = id.Split('/');
            return parts[0].StartsWith("gsm8k_", StringComparison.Ordinal) ? byIndex.GetValueOrDefault(parts[1])
                : parts[0].StartsWith("math500_", StringComparison.Ordinal) ? byUniqueId.GetValueOrDefault(string.Join('/', parts[1..]))
                : null;
        };
    }

    static Dictionary<string, string> Field(string file, string key, string value) =>
        File.ReadLines(file).Where(line => line.Length > 0).Select(line =>
        {
            using var document = JsonDocument.Parse(line);
            JsonElement row = document.RootElement;
            JsonElement k = row.GetProperty(key);
            return (Key: k.ValueKind == JsonValueKind.Number ? k.GetRawText() : k.GetString()!, Value: Text(row, value));
        }).ToDictionary(p => p.Key, p => p.Value);

    static RealOutput Parse(string line)
    {
        using var document = JsonDocument.Parse(line);
        JsonElement row = document.RootElement;
        return new RealOutput(Text(row, "id"), Text(row, "source"), Text(row, "output"), Text(row, "gold"),
            row.GetProperty("label").GetBoolean());
    }

    static string Text(JsonElement row, string field) => row.GetProperty(field).GetString()!;
}

/// <summary>A fact that is reported as skipped (not silently passed) where shared/ lacks the set.</summary>
public sealed class RealOutputsFactAttribute : FactAttribute
{
    public RealOutputsFactAttribute()
    {
        if (!RealOutputSet.Exists) Skip = $"the real-outputs set is not at {RealOutputSet.Path}";
    }
}
