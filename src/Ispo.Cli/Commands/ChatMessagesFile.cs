// Reads the conversation of `ispo tokenize --chat FILE`: a JSON array of {"role", "content"} messages (the
// layout of HF's apply_chat_template), or an object holding one under "messages". Errors name the file and field.
using System.Text.Json;
using Ispo.Models.Chat;

namespace Ispo.Cli.Commands;

static class ChatMessagesFile
{
    public static IReadOnlyList<ChatMessage> Load(string path)
    {
        using var document = Parse(path);
        var root = document.RootElement;
        var messages = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("messages", out var inner) ? inner : root;
        if (messages.ValueKind != JsonValueKind.Array)
            throw new InvalidDataException($"{path}: expected an array of {{\"role\", \"content\"}} messages (or an object with \"messages\")");
        return messages.EnumerateArray().Select((m, i) => Message(m, path, $"messages[{i}]")).ToList();
    }

    static JsonDocument Parse(string path)
    {
        try { return JsonDocument.Parse(File.ReadAllText(path)); }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not valid JSON ({e.Message})"); }
    }

    static ChatMessage Message(JsonElement message, string path, string field)
    {
        if (message.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{path}: field '{field}': expected an object with \"role\" and \"content\"");
        return new ChatMessage(Text(message, "role", path, field), Text(message, "content", path, field));
    }

    static string Text(JsonElement message, string name, string path, string field) =>
        message.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()!
        : throw new InvalidDataException($"{path}: field '{field}.{name}': expected a string");
}
