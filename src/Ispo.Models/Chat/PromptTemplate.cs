// Plain prompt templates with named slots such as {problem}. Only the slots given are replaced, in one pass, so
// LaTeX braces ("\boxed{}") stay as written and a problem containing "{problem}" is not expanded again.
using System.Text.RegularExpressions;

namespace Ispo.Models.Chat;

public sealed partial record PromptTemplate(string Text)
{
    public const string ProblemSlot = "{problem}";

    /// <summary>The problem as is.</summary>
    public static readonly PromptTemplate Plain = new(ProblemSlot);

    /// <summary>Qwen2.5-Math's chain-of-thought instruction.</summary>
    public static readonly PromptTemplate Boxed =
        new(ProblemSlot + "\nPlease reason step by step, and put your final answer within \\boxed{}.");

    public static readonly IReadOnlyDictionary<string, PromptTemplate> Named =
        new Dictionary<string, PromptTemplate> { ["plain"] = Plain, ["boxed"] = Boxed };

    /// <summary>A named template ("plain", "boxed"), or the text itself when it contains {problem}.</summary>
    public static PromptTemplate Parse(string nameOrText) =>
        Named.TryGetValue(nameOrText, out var named) ? named
        : nameOrText.Contains(ProblemSlot, StringComparison.Ordinal) ? new PromptTemplate(nameOrText)
        : throw new ArgumentException($"prompt template '{nameOrText}' is neither a known name ({string.Join(", ", Named.Keys)}) nor a text with a {ProblemSlot} slot");

    public string Render(string problem) => Render(new Dictionary<string, string> { ["problem"] = problem });

    public string Render(IReadOnlyDictionary<string, string> values) =>
        Slot().Replace(Text, m => values.TryGetValue(m.Groups[1].Value, out var value) ? value : m.Value);

    [GeneratedRegex(@"\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex Slot();
}
