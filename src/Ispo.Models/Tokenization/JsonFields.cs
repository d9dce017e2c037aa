// Small typed accessors for HF JSON files that name the file and the field path in every error.
using System.Text.Json;
using Ispo.Models.Checkpoints;

namespace Ispo.Models.Tokenization;

static class JsonFields
{
    public static JsonDocument ParseFile(string path, long maxBytes = 1L << 30)
    {
        ReadableFile.Check(path, maxBytes);
        try { return JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { MaxDepth = 256 }); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})"); }
    }

    public static InvalidDataException Bad(string file, string field, string what) => new($"{file}: field '{field}': {what}");

    /// <summary>The property, or null when absent or JSON null.</summary>
    public static JsonElement? Optional(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static JsonElement Required(JsonElement obj, string name, JsonValueKind kind, string file, string path)
    {
        var value = Optional(obj, name) ?? throw Bad(file, path, "missing");
        if (value.ValueKind != kind) throw Bad(file, path, $"is {value.ValueKind}, expected {kind}");
        return value;
    }

    public static string? OptionalString(JsonElement obj, string name, string file, string path)
    {
        if (Optional(obj, name) is not { } v) return null;
        if (v.ValueKind != JsonValueKind.String) throw Bad(file, path, $"is {v.ValueKind}, expected a string");
        return v.GetString();
    }

    public static bool OptionalBool(JsonElement obj, string name, bool fallback, string file, string path)
    {
        if (Optional(obj, name) is not { } v) return fallback;
        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Bad(file, path, $"is {v.ValueKind}, expected true or false");
        return v.GetBoolean();
    }

    public static int Int(JsonElement value, string file, string path) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out int i) && i >= 0 ? i : throw Bad(file, path, "expected a non-negative integer");
}
