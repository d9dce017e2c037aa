// One line of samples.jsonl: a completion with its extracted answer and verdict, keyed by (benchmark, problem, sample).
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Ispo.Training.Evaluation;

public sealed record SampleRecord(
    string Benchmark, int ProblemIndex, string ProblemId, int SampleIndex, string Gold,
    string Completion, string? Extracted, bool Correct, int Length, bool Truncated, string? Reason = null)
{
    internal static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public string ToJsonLine() => JsonSerializer.Serialize(this, Json);

    public static SampleRecord FromJsonLine(string line) =>
        JsonSerializer.Deserialize<SampleRecord>(line, Json) ?? throw new JsonException("null sample record");
}
