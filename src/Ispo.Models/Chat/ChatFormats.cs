// Chat formats by name, and detection of a model's format (and default system prompt) from its chat template.
using System.Text.RegularExpressions;
using Ispo.Models.Tokenization;

namespace Ispo.Models.Chat;

public static partial class ChatFormats
{
    public static readonly IReadOnlyList<string> Names = ["chatml", "qwen", "llama3", "raw"];

    /// <summary>
    /// "chatml" (no default system prompt unless given), "qwen" (ChatML with Qwen2.5's default system prompt unless
    /// given), "llama3", "raw".
    /// </summary>
    public static IChatFormat Get(string name, string? defaultSystemPrompt = null) => name switch
    {
        "chatml" => new ChatMlFormat(defaultSystemPrompt),
        "qwen" => new ChatMlFormat(defaultSystemPrompt ?? ChatMlFormat.QwenDefaultSystemPrompt),
        "llama3" => new Llama3Format(defaultSystemPrompt),
        "raw" => new RawFormat(),
        _ => throw new ArgumentException($"unknown chat format '{name}' (expected one of: {string.Join(", ", Names)})", nameof(name)),
    };

    /// <summary>The format a tokenizer_config.json's chat_template implements: "chatml", "llama3", or "raw" when none.</summary>
    public static string Detect(string? chatTemplate) => chatTemplate switch
    {
        null or "" => "raw",
        _ when chatTemplate.Contains("<|im_start|>", StringComparison.Ordinal) => "chatml",
        _ when chatTemplate.Contains("<|start_header_id|>", StringComparison.Ordinal) => "llama3",
        _ => "raw",
    };

    /// <summary>
    /// The literal system prompt a ChatML template inserts when the conversation has none (Qwen's "You are Qwen, ..."
    /// or Qwen2.5-Math's "Please reason step by step, ..."), with Jinja's string escapes undone; null when none.
    /// </summary>
    public static string? DefaultSystemPrompt(string? chatTemplate)
    {
        if (chatTemplate is null) return null;
        var match = LiteralSystemTurn().Match(chatTemplate);
        return match.Success ? UnescapeJinja(match.Groups[1].Value) : null;
    }

    /// <summary>Undoes the escapes of a Jinja (Python) string literal that templates use: \n, \t, \\.</summary>
    static string UnescapeJinja(string text) => JinjaEscape().Replace(text, m => m.Groups[1].Value switch
    {
        "n" => "\n",
        "t" => "\t",
        var c => c,
    });

    [GeneratedRegex(@"\\(.)")]
    private static partial Regex JinjaEscape();

    /// <summary>The format of a model's tokenizer_config.json, with its default system prompt.</summary>
    public static IChatFormat FromTokenizerConfig(TokenizerConfig config)
    {
        string name = Detect(config.ChatTemplate);
        return Get(name, name == "chatml" ? DefaultSystemPrompt(config.ChatTemplate) : null);
    }

    [GeneratedRegex(@"<\|im_start\|>system\\n([^'""]*?)<\|im_end\|>")]
    private static partial Regex LiteralSystemTurn();
}
