// Loads the gold answers of the six shipped benchmarks (../shared/data/benchmarks, relative to the repo root).
using System.Text.Json;
using Ispo.MathVerify.Extraction;

namespace Ispo.MathVerify.Tests;

public sealed record BenchmarkGold(string Benchmark, int Line, string Gold, string? Solution);

public static class BenchmarkGolds
{
    public static string Directory { get; } = Path.Combine(RepoRoot(), "..", "shared", "data", "benchmarks");

    public static IReadOnlyList<BenchmarkGold> All() =>
        [.. Load("math500.jsonl", row => [Text(row, "answer")], row => Text(row, "solution")),
         .. Load("aime24.jsonl", row => [Text(row, "answer")]),
         .. Load("amc23.jsonl", row => [row.GetProperty("answer").GetRawText()]),
         .. Load("minerva_math.jsonl", row => [GoldAnswers.LastBoxed(Text(row, "solution"))!], row => Text(row, "solution")),
         .. Load("olympiadbench.jsonl", row => [.. row.GetProperty("final_answer").EnumerateArray().Select(a => a.GetString()!)]),
         .. Load("gsm8k_test.jsonl", row => [GoldAnswers.Gsm8k(Text(row, "answer"))!])];

    static IEnumerable<BenchmarkGold> Load(string file, Func<JsonElement, string[]> golds, Func<JsonElement, string>? solution = null)
    {
        int line = 0;
        foreach (string text in File.ReadLines(Path.Combine(Directory, file)))
        {
            line++;
            using var document = JsonDocument.Parse(text);
            foreach (string gold in golds(document.RootElement))
                yield return new BenchmarkGold(file, line, gold, solution?.Invoke(document.RootElement));
        }
    }

    static string Text(JsonElement row, string field) => row.GetProperty(field).GetString()!;

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ispo.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Ispo.sln above {AppContext.BaseDirectory}");
    }
}
