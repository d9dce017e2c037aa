// The seam to answer-span parsing (last \boxed{…}, GSM8K "#### N") used by the loaders; switches to
// Ispo.MathVerify's extraction once that lands, so the parsing lives in one place.
namespace Ispo.Training.Data;

internal static class AnswerSpans
{
    /// <summary>Content of the last \boxed{…} (or \fbox{…}), brace-matched; null when there is none.</summary>
    public static string? LastBoxed(string text)
    {
        int start = Math.Max(text.LastIndexOf("\\boxed", StringComparison.Ordinal), text.LastIndexOf("\\fbox", StringComparison.Ordinal));
        if (start < 0)
            return null;
        int open = text.IndexOf('{', start);
        if (open < 0)
            return null;
        int depth = 0;
        for (int i = open; i < text.Length; i++)
        {
            depth += text[i] == '{' ? 1 : text[i] == '}' ? -1 : 0;
            if (depth == 0)
                return text[(open + 1)..i].Trim();
        }
        return null;
    }

    /// <summary>The final answer after GSM8K's "####" marker, thousands separators removed; null without a marker.</summary>
    public static string? Gsm8kFinal(string text)
    {
        int marker = text.LastIndexOf("####", StringComparison.Ordinal);
        return marker < 0 ? null : text[(marker + 4)..].Trim().Replace(",", "");
    }
}
