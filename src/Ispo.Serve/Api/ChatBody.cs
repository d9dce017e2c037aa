// POST /v1/chat/completions: messages rendered with the model's chat format (as `ispo train` renders prompts), and
// the chat-only log-prob fields.
using System.Text;
using System.Text.Json;
using Ispo.Models.Chat;

namespace Ispo.Serve.Api;

internal sealed record ChatBody : SamplingFields
{
    public JsonElement Messages { get; init; }
    public bool? Logprobs { get; init; }
    /// <summary>As completions' logprobs: the sampler reports the chosen token only, so at most 1.</summary>
    public int? TopLogprobs { get; init; }

    public const int MaxMessages = 1024;

    public IReadOnlyList<ChatMessage> ChatMessages()
    {
        if (TopLogprobs is { } top && top is < 0 or > 1)
            throw ApiException.Unsupported("top_logprobs", "only the chosen token's log-prob is reported: ask for 0 or 1");
        if (Messages.ValueKind != JsonValueKind.Array || Messages.GetArrayLength() == 0)
            throw ApiException.BadField("messages", "must be a non-empty array of {\"role\", \"content\"} objects");
        if (Messages.GetArrayLength() > MaxMessages) throw ApiException.BadField("messages", $"at most {MaxMessages} messages");
        return Messages.EnumerateArray().Select((m, i) => Message(m, $"messages[{i}]")).ToList();
    }

    static ChatMessage Message(JsonElement message, string field)
    {
        if (message.ValueKind != JsonValueKind.Object) throw ApiException.BadField(field, "must be an object with \"role\" and \"content\"");
        string role = message.TryGetProperty("role", out JsonElement r) && r.ValueKind == JsonValueKind.String ? r.GetString()!
            : throw ApiException.BadField($"{field}.role", "must be a string");
        if (role is not ("system" or "user" or "assistant" or "developer"))
            throw ApiException.BadField($"{field}.role", "must be system, developer, user or assistant");
        if (!message.TryGetProperty("content", out JsonElement content)) throw ApiException.BadField($"{field}.content", "is required");
        return new ChatMessage(role == "developer" ? "system" : role, Content(content, $"{field}.content"));
    }

    /// <summary>A string, or OpenAI's list of parts of which only text parts are served.</summary>
    static string Content(JsonElement content, string field)
    {
        if (content.ValueKind == JsonValueKind.String) return content.GetString()!;
        if (content.ValueKind != JsonValueKind.Array) throw ApiException.BadField(field, "must be a string or an array of text parts");
        var text = new StringBuilder();
        foreach (JsonElement part in content.EnumerateArray())
        {
            bool isText = part.ValueKind == JsonValueKind.Object && part.TryGetProperty("type", out JsonElement t) && t.ValueEquals("text")
                && part.TryGetProperty("text", out JsonElement s) && s.ValueKind == JsonValueKind.String;
            if (!isText) throw ApiException.Unsupported(field, "only text parts ({\"type\": \"text\", \"text\": ...}) are supported");
            text.Append(part.GetProperty("text").GetString());
        }
        return text.ToString();
    }
}
