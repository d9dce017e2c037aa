// A prompt template: wraps a problem into the user message, says whether to render it through the model's chat
// format or raw (base models), and where the answer will be (for the answer-span locator and the verifier).
namespace Ispo.Training.Prompts;

/// <summary>Where a completion states its final answer.</summary>
public enum AnswerFormat
{
    /// <summary>The last \boxed{…}.</summary>
    Boxed,
    /// <summary>A final line "Answer: …" (DAPO).</summary>
    AnswerLine,
}

/// <summary>The user message text, chat-vs-raw flag and answer format; the tokenizer's chat format renders it.</summary>
public sealed record RenderedPrompt(string UserText, bool UseChat, AnswerFormat AnswerFormat);

public sealed record PromptTemplate(string Name, string Prefix, string Suffix, AnswerFormat AnswerFormat, bool UseChat = true)
{
    public RenderedPrompt Render(string problem) => new(Prefix + problem + Suffix, UseChat, AnswerFormat);

    /// <summary>The problem inside a text this template rendered, or the text unchanged if it does not fit.</summary>
    public string Unwrap(string text) =>
        Prefix.Length + Suffix.Length > 0 && text.StartsWith(Prefix, StringComparison.Ordinal)
        && text.EndsWith(Suffix, StringComparison.Ordinal) && text.Length >= Prefix.Length + Suffix.Length
            ? text[Prefix.Length..^Suffix.Length]
            : text;
}
