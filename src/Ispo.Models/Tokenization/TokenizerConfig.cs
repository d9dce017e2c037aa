// The parts of HF tokenizer_config.json Ispo uses: bos/eos/pad/unk tokens, additional special tokens, the chat
// template text, and what decides the special tokens encode(text) adds (add_bos_token, add_eos_token and the
// tokenizer class; see SequenceTemplate). Token fields may be plain strings or {"content": ...} objects.
using System.Text.Json;
using static Ispo.Models.Tokenization.JsonFields;

namespace Ispo.Models.Tokenization;

public sealed record TokenizerConfig(
    string? BosToken = null,
    string? EosToken = null,
    string? PadToken = null,
    string? UnkToken = null,
    IReadOnlyList<string>? AdditionalSpecialTokens = null,
    string? ChatTemplate = null,
    bool? AddBosToken = null,
    bool? AddEosToken = null,
    string? TokenizerClass = null)
{
    public const string FileName = "tokenizer_config.json";

    public static TokenizerConfig Load(string path)
    {
        using var document = ParseFile(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw Bad(path, "(root)", "expected an object");
        return new TokenizerConfig(
            Token(root, "bos_token", path), Token(root, "eos_token", path), Token(root, "pad_token", path), Token(root, "unk_token", path),
            AdditionalTokens(root, path), Template(root, path), Flag(root, "add_bos_token", path), Flag(root, "add_eos_token", path),
            OptionalString(root, "tokenizer_class", path, "tokenizer_class"));
    }

    /// <summary>Null when absent: an absent flag and a false one mean different things to HF.</summary>
    static bool? Flag(JsonElement root, string name, string path) =>
        Optional(root, name) is null ? null : OptionalBool(root, name, false, path, name);

    static string? Token(JsonElement root, string name, string path) => Optional(root, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Object } o => Required(o, "content", JsonValueKind.String, path, name + ".content").GetString(),
        _ => throw Bad(path, name, "expected a string or an object with 'content'"),
    };

    static List<string> AdditionalTokens(JsonElement root, string path)
    {
        if (Optional(root, "additional_special_tokens") is not { } array) return [];
        if (array.ValueKind != JsonValueKind.Array) throw Bad(path, "additional_special_tokens", "expected an array");
        var tokens = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            string field = $"additional_special_tokens[{tokens.Count}]";
            tokens.Add(item.ValueKind == JsonValueKind.String ? item.GetString()!
                : item.ValueKind == JsonValueKind.Object ? Required(item, "content", JsonValueKind.String, path, field + ".content").GetString()!
                : throw Bad(path, field, "expected a string or an object with 'content'"));
        }
        return tokens;
    }

    /// <summary>A template string, or from a list of named templates the one called "default".</summary>
    static string? Template(JsonElement root, string path) => Optional(root, "chat_template") switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { ValueKind: JsonValueKind.Array } list => list.EnumerateArray()
            .Where(t => OptionalString(t, "name", path, "chat_template[].name") == "default")
            .Select(t => OptionalString(t, "template", path, "chat_template[].template")).FirstOrDefault(),
        _ => throw Bad(path, "chat_template", "expected a string or a list of {name, template}"),
    };

    /// <summary>Writes the config in HF's layout (the fields Ispo reads; tokenizer_class defaults to PreTrainedTokenizerFast).</summary>
    public void Save(string path)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            if (AddBosToken is { } addBos) json.WriteBoolean("add_bos_token", addBos);
            if (AddEosToken is { } addEos) json.WriteBoolean("add_eos_token", addEos);
            json.WriteStartArray("additional_special_tokens");
            foreach (string t in AdditionalSpecialTokens ?? []) json.WriteStringValue(t);
            json.WriteEndArray();
            WriteToken(json, "bos_token", BosToken);
            WriteToken(json, "eos_token", EosToken);
            WriteToken(json, "pad_token", PadToken);
            WriteToken(json, "unk_token", UnkToken);
            WriteToken(json, "chat_template", ChatTemplate);
            json.WriteString("tokenizer_class", TokenizerClass ?? "PreTrainedTokenizerFast");
            json.WriteEndObject();
        }
        Checkpoints.AtomicFile.WriteAllText(path, System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n");
    }

    static void WriteToken(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null) json.WriteNull(name);
        else json.WriteString(name, value);
    }
}
