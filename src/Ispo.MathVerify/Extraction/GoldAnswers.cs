// Gold-answer helpers for the benchmark formats: Minerva's last \boxed{} in a solution, GSM8K's `#### N`.
namespace Ispo.MathVerify.Extraction;

public static class GoldAnswers
{
    /// <summary>The content of the last complete \boxed{}/\fbox{} in <paramref name="text"/>, or null.</summary>
    public static string? LastBoxed(string text) =>
        LatexScanner.LastBox(text, 0, text.Length) is { } box ? text[box.Start..box.End] : null;

    /// <summary>The answer after the last `####` of a GSM8K solution, thousands commas removed ("1,450,000" →
    /// "1450000"), or null when there is no `####`.</summary>
    public static string? Gsm8k(string solution)
    {
        int marker = solution.LastIndexOf("####", StringComparison.Ordinal);
        if (marker < 0) return null;
        string answer = solution[(marker + 4)..].Trim();
        return answer.Replace(",", "", StringComparison.Ordinal);
    }

    /// <summary>The answer text inside a gold string: the last \boxed{} content when there is one, else the gold
    /// with its unescaped `$` math delimiters removed (OlympiadBench golds like "$69$,$84$").</summary>
    public static string Unwrap(string gold)
    {
        string inner = LastBoxed(gold) ?? gold;
        return inner.Contains('$') ? RemoveMathDollars(inner).Trim() : inner.Trim();
    }

    static string RemoveMathDollars(string text)
    {
        var kept = new System.Text.StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '$' && (i == 0 || text[i - 1] != '\\')) continue;
            kept.Append(text[i]);
        }
        return kept.ToString();
    }
}
