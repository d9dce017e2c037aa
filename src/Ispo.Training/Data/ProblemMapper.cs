// Turns raw rows into MathProblems through a FieldMapping; missing fields are errors naming the row and fields.
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Ispo.MathVerify.Extraction;

namespace Ispo.Training.Data;

public static class ProblemMapper
{
    /// <summary>Loads a dataset file (.jsonl, .json, .parquet) into problems; <paramref name="limit"/> keeps the first N.</summary>
    public static IReadOnlyList<MathProblem> Load(string path, FieldMapping? mapping = null, int? limit = null)
    {
        mapping ??= FieldMapping.Default;
        IEnumerable<MathProblem> problems = DatasetFile.ReadRows(path).Select((row, ordinal) => Map(row, mapping, ordinal));
        if (mapping.DropDuplicateProblems)
            problems = problems.DistinctBy(p => p.Problem);
        return (limit is int n ? problems.Take(n) : problems).ToList();
    }

    public static MathProblem Map(DatasetRow row, FieldMapping mapping, int ordinal)
    {
        string problem = mapping.ProblemTransform(ReadProblem(row, mapping));
        string answer = ReadAnswer(row, mapping);
        string id = mapping.IdFields.Select(f => Find(row.Fields, f)).FirstOrDefault(v => v is not null) is JsonNode idNode
            ? AsText(idNode, row, "id")
            : ordinal.ToString(CultureInfo.InvariantCulture);
        var metadata = new Dictionary<string, string>();
        foreach (string field in mapping.MetadataFields)
            if (Find(row.Fields, field) is JsonNode value)
                metadata[field] = AsText(value, row, field);
        return new MathProblem(id, problem, answer, metadata);
    }

    static string ReadProblem(DatasetRow row, FieldMapping mapping)
    {
        foreach (string field in mapping.ProblemFields)
            if (Find(row.Fields, field) is JsonNode node)
                return node is JsonArray chat ? LastUserMessage(chat, row, field) : AsText(node, row, field);
        throw new DatasetFormatException(
            $"{row.Location}: no problem field (looked for {string.Join(", ", mapping.ProblemFields)})");
    }

    static string ReadAnswer(DatasetRow row, FieldMapping mapping)
    {
        foreach (AnswerRule rule in mapping.AnswerRules)
        {
            if (Find(row.Fields, rule.Field) is not JsonNode node)
                continue;
            string text = AsText(node, row, rule.Field);
            string? answer = rule.Source switch
            {
                AnswerSource.LastBoxed => GoldAnswers.LastBoxed(text),
                AnswerSource.Gsm8k => GoldAnswers.Gsm8k(text),
                _ => text,
            };
            return answer ?? throw new DatasetFormatException($"{row.Location}: field '{rule.Field}' has no {rule}");
        }
        throw new DatasetFormatException(
            $"{row.Location}: no gold answer (looked for {string.Join(", ", mapping.AnswerRules)})");
    }

    /// <summary>A chat-style prompt ([{role, content}, …], as in DAPO-Math-17k): the last user turn's content.</summary>
    static string LastUserMessage(JsonArray chat, DatasetRow row, string field)
    {
        JsonNode? turn = chat.LastOrDefault(t => t is JsonObject o && (string?)o["role"] == "user");
        return turn?["content"] is JsonNode content
            ? AsText(content, row, field)
            : throw new DatasetFormatException($"{row.Location}: field '{field}' is a list without a user message");
    }

    /// <summary>Follows a dotted path; null when any part is missing or JSON null.</summary>
    static JsonNode? Find(JsonObject fields, string path)
    {
        JsonNode? node = fields;
        foreach (string part in path.Split('.'))
            node = node is JsonObject obj ? obj[part] : null;
        return node;
    }

    /// <summary>
    /// Text of a scalar or list: integral floats print as integers (AMC's 27.0 → "27"); list items have their
    /// $ delimiters removed and are joined as a comma list (OlympiadBench's final_answer).
    /// </summary>
    static string AsText(JsonNode node, DatasetRow row, string field) => node switch
    {
        JsonArray list => string.Join(", ", list.Select(item => GoldAnswers.Unwrap(AsText(item!, row, field)))),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => FormatNumber(double.Parse(value.ToJsonString(), CultureInfo.InvariantCulture)),
        JsonValue value when value.GetValueKind() is JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
        _ => throw new DatasetFormatException($"{row.Location}: field '{field}' should be text, a number or a list, got {node.ToJsonString()}"),
    };

    static string FormatNumber(double x) =>
        x == Math.Floor(x) && Math.Abs(x) < 1e15 ? ((long)x).ToString(CultureInfo.InvariantCulture) : x.ToString("R", CultureInfo.InvariantCulture);
}
