// The "raw" format for base models: message contents joined by blank lines, no markup. Encoded as HF's
// tokenizer(text): the tokenizer's own prefix (Llama-3's BOS) first, unless an explicit prefix replaces it.
// The model continues the text.
namespace Ispo.Models.Chat;

public sealed class RawFormat(string? prefix = null) : IChatFormat
{
    public string Name => "raw";
    public IReadOnlyList<string> StopStrings { get; } = [];
    public bool AddsTokenizerPrefix => string.IsNullOrEmpty(prefix);

    public IReadOnlyList<PromptSegment> Segments(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true)
    {
        var segments = new List<PromptSegment>();
        if (!string.IsNullOrEmpty(prefix)) segments.Add(new(prefix, true));
        for (int i = 0; i < messages.Count; i++)
        {
            if (i > 0) segments.Add(new("\n\n", true));
            segments.Add(new(messages[i].Content, false));
        }
        return segments;
    }
}
