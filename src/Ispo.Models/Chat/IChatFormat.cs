// A chat format turns messages into prompt segments; rendering and encoding are shared.
using System.Text;
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
    /// Token ids of the prompt, as HF's apply_chat_template(tokenize=True) gives them: the whole rendered prompt is
    /// encoded at once after cutting out the template's added tokens, so text on either side of a segment boundary
    /// merges as in one string (a template "\n" and a "\n" starting the content become one "\n\n" token). Unlike
    /// HF, an added token's spelling inside content stays plain text. Plain-text formats get the tokenizer's sequence
    /// prefix first; its suffix (an EOS from add_eos_token) is left off: the model continues a prompt, so it must not
    /// end it.
    /// </summary>
    public static int[] Encode(this IChatFormat format, ITokenizer tokenizer, IReadOnlyList<ChatMessage> messages,
        bool addGenerationPrompt = true)
    {
        var ids = new List<int>(format.AddsTokenizerPrefix ? tokenizer.SequenceTemplate.Prefix : []);
        var plain = new StringBuilder();
        foreach (var segment in format.Segments(messages, addGenerationPrompt))
        {
            if (!segment.IsTemplate) { plain.Append(segment.Text); continue; }
            foreach (var (text, added) in tokenizer.SplitAddedTokens(segment.Text))
            {
                if (added is not { } id) { plain.Append(text); continue; }
                Flush(tokenizer, plain, ids);
                ids.Add(id);
            }
        }
        Flush(tokenizer, plain, ids);
        return ids.ToArray();
    }

    static void Flush(ITokenizer tokenizer, StringBuilder plain, List<int> ids)
    {
        if (plain.Length == 0) return;
        ids.AddRange(tokenizer.Encode(plain.ToString()));
        plain.Clear();
    }
}
