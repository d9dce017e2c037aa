// A chat turn, and a piece of a rendered prompt marked as template text (may hold special tokens) or content.
namespace Ispo.Models.Chat;

public sealed record ChatMessage(string Role, string Content)
{
    public static ChatMessage System(string content) => new("system", content);
    public static ChatMessage User(string content) => new("user", content);
    public static ChatMessage Assistant(string content) => new("assistant", content);
}

/// <summary>
/// Template text is encoded with special tokens; content is encoded as plain text, so a "&lt;|im_end|&gt;" typed by
/// a user or found in a dataset can never end a turn.
/// </summary>
public sealed record PromptSegment(string Text, bool IsTemplate);
