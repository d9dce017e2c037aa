// A chat format turns messages into prompt segments; rendering and encoding are shared.
using Ispo.Models.Tokenization;

namespace Ispo.Models.Chat;

public interface IChatFormat
{
    string Name { get; }

    /// <summary>Strings that end an assistant turn in this format (besides the tokenizer's EOS).</summary>
    IReadOnlyList<string> StopStrings { get; }

    /// <summary>
    /// True for plain-text prompts, encoded as HF's tokenizer(text) is: the tokenizer's own special tokens in front
    /// (Llama-3's &lt;|begin_of_text|&gt;). False for chat templates, which write their own (HF's
    /// apply_chat_template(tokenize=True) does not add them again).
    /// </summary>
    bool AddsTokenizerPrefix { get; }

    IReadOnlyList<PromptSegment> Segments(IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true);
}

public static class ChatFormatExtensions
{
    /// <summary>The prompt as one string (for display and logs).</summary>
    public static string Render(this IChatFormat format, IReadOnlyList<ChatMessage> messages, bool addGenerationPrompt = true) =>
        string.Concat(format.Segments(messages, addGenerationPrompt).Select(s => s.Text));

    /// <summary>
    /// Token ids of the prompt: template segments with special tokens, content as plain text, and for plain-text
    /// formats the tokenizer's sequence prefix first. Its suffix (an EOS from add_eos_token) is left off: the model
    /// continues a prompt, so it must not end it.
    /// </summary>
    public static int[] Encode(this IChatFormat format, ITokenizer tokenizer, IReadOnlyList<ChatMessage> messages,
        bool addGenerationPrompt = true)
    {
        var ids = format.Segments(messages, addGenerationPrompt)
            .SelectMany(s => s.IsTemplate ? tokenizer.EncodeWithSpecialTokens(s.Text) : tokenizer.Encode(s.Text));
        return format.AddsTokenizerPrefix ? [.. tokenizer.SequenceTemplate.Prefix, .. ids] : ids.ToArray();
    }
}
