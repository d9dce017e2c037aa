// The real-outputs evaluation set (README.md beside this file): model outputs with trusted labels. Like the
// benchmarks it lives in shared/ (../shared/data/verify/real_outputs.jsonl from the repo root), not in the repo.
using System.Text.Json;

namespace Ispo.MathVerify.Tests.RealOutputs;

public sealed record RealOutput(string Id, string Source, string Output, string Gold, bool Label);

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

    public static IReadOnlyList<RealOutput> Load() =>
        [.. File.ReadLines(Path).Where(line => line.Length > 0).Select(Parse)];

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
