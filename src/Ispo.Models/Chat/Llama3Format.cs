// Llama-3's chat format: <|begin_of_text|>, then per turn <|start_header_id|>role<|end_header_id|>\n\ncontent<|eot_id|>
// with content trimmed as its template does.
namespace Ispo.Models.Chat;

public sealed class Llama3Format(string? defaultSystemPrompt = null) : IChatFormat
{
    public string Name => "llama3";
    public string? DefaultSystemPrompt { get; } = defaultSystemPrompt;
    public bool AddsTokenizerPrefix => false;
    public IReadOnlyList<string> StopStrings { get; } = ["<|eot_id|>"];

    public IReadOnlyList<PromptSegment> Segments(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true)
    {
        var segments = new List<PromptSegment> { new("<|begin_of_text|>", true) };
        if (DefaultSystemPrompt != null && (messages.Count == 0 || messages[0].Role != "system"))
            AddTurn(segments, ChatMessage.System(DefaultSystemPrompt));
        foreach (var message in messages) AddTurn(segments, message);
        if (addGenerationPrompt) segments.Add(new("<|start_header_id|>assistant<|end_header_id|>\n\n", true));
        return segments;
    }

    static void AddTurn(List<PromptSegment> segments, ChatMessage message)
    {
        segments.Add(new($"<|start_header_id|>{message.Role}<|end_header_id|>\n\n", true));
        segments.Add(new(message.Content.Trim(), false));
        segments.Add(new("<|eot_id|>", true));
    }
}
