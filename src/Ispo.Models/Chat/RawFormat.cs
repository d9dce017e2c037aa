// The "raw" format for base models: message contents joined by blank lines, no markup (an optional prefix such as
// a BOS token). The model continues the text.
namespace Ispo.Models.Chat;

public sealed class RawFormat(string? prefix = null) : IChatFormat
{
    public string Name => "raw";
    public IReadOnlyList<string> StopStrings { get; } = [];

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
