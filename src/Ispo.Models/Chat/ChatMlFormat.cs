// ChatML as Qwen uses it: <|im_start|>role\ncontent<|im_end|>\n per turn, then <|im_start|>assistant\n. Like Qwen's
// templates, a default system prompt is inserted when the conversation does not start with one.
namespace Ispo.Models.Chat;

public sealed class ChatMlFormat(string? defaultSystemPrompt = null) : IChatFormat
{
    /// <summary>Qwen2.5(-Instruct)'s default system prompt.</summary>
    public const string QwenDefaultSystemPrompt = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant.";

    public string Name => "chatml";
    public string? DefaultSystemPrompt { get; } = defaultSystemPrompt;
    public bool AddsTokenizerPrefix => false;
    public IReadOnlyList<string> StopStrings { get; } = ["<|im_end|>"];

    public IReadOnlyList<PromptSegment> Segments(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true)
    {
        var segments = new List<PromptSegment>();
        if (DefaultSystemPrompt != null && (messages.Count == 0 || messages[0].Role != "system"))
            AddTurn(segments, ChatMessage.System(DefaultSystemPrompt));
        foreach (var message in messages) AddTurn(segments, message);
        if (addGenerationPrompt) segments.Add(new("<|im_start|>assistant\n", true));
        return segments;
    }

    static void AddTurn(List<PromptSegment> segments, ChatMessage message)
    {
        segments.Add(new($"<|im_start|>{message.Role}\n", true));
        segments.Add(new(message.Content, false));
        segments.Add(new("<|im_end|>\n", true));
    }
}
