// A chat format turns messages into prompt segments; rendering and encoding are shared.
using Ispo.Models.Tokenization;

namespace Ispo.Models.Chat;

public interface IChatFormat
{
    string Name { get; }

    /// <summary>Strings that end an assistant turn in this format (besides the tokenizer's EOS).</summary>
    IReadOnlyList<string> StopStrings { get; }

    IReadOnlyList<PromptSegment> Segments(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true);
}

public static class ChatFormatExtensions
{
    /// <summary>The prompt as one string (for display and logs).</summary>
    public static string Render(this IChatFormat format, IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true) =>
        string.Concat(format.Segments(messages, addGenerationPrompt).Select(s => s.Text));

    /// <summary>Token ids of the prompt: template segments with special tokens, content as plain text.</summary>
    public static int[] Encode(this IChatFormat format, ITokenizer tokenizer, IReadOnlyList<ChatMessage> messages,
        bool addGenerationPrompt = true) =>
        format.Segments(messages, addGenerationPrompt)
            .SelectMany(s => s.IsTemplate ? tokenizer.EncodeWithSpecialTokens(s.Text) : tokenizer.Encode(s.Text))
            .ToArray();
}
