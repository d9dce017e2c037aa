// Reads JSON Lines (one object per line) and JSON-array files into raw rows, reporting malformed lines by number.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ispo.Training.Data;

public static class JsonLinesReader
{
    /// <summary>Rows of a .jsonl file; blank lines are skipped, a malformed line throws naming file and line.</summary>
    public static IEnumerable<DatasetRow> Read(string path)
    {
        int lineNumber = 0;
        foreach (string line in File.ReadLines(path))
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
                continue;
            yield return new DatasetRow(ParseObject(line, $"{path}:{lineNumber}"), $"{path}:{lineNumber}");
        }
    }

    /// <summary>Rows of a .json file holding one array of objects (how some repos publish datasets).</summary>
    public static IEnumerable<DatasetRow> ReadArray(string path)
    {
        JsonNode? root = Parse(File.ReadAllText(path), path);
        if (root is not JsonArray array)
            throw new DatasetFormatException($"{path}: expected a JSON array of objects");
        for (int i = 0; i < array.Count; i++)
        {
            string location = $"{path} row {i + 1}";
            if (array[i] is not JsonObject row)
                throw new DatasetFormatException($"{location}: expected a JSON object");
            yield return new DatasetRow((JsonObject)row.DeepClone(), location);
        }
    }

    static JsonObject ParseObject(string text, string location) =>
        Parse(text, location) as JsonObject
        ?? throw new DatasetFormatException($"{location}: expected a JSON object on this line");

    static JsonNode? Parse(string text, string location)
    {
        try { return JsonNode.Parse(text); }
        catch (JsonException e) { throw new DatasetFormatException($"{location}: malformed JSON ({e.Message})", e); }
    }
}
