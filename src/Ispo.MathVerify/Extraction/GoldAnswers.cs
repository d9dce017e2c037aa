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

    /// <summary>The answer text inside a gold string: its \boxed{} content (several boxes, "\boxed{1} and
    /// \boxed{-2}", form a list), else the value of a Minerva "final answer is $X$", else the gold with its
    /// unescaped `$` math delimiters removed (OlympiadBench golds like "$69$,$84$").</summary>
    public static string Unwrap(string gold)
    {
        string inner = Boxed(gold) ?? MinervaValue(gold) ?? gold;
        return inner.Contains('$') ? RemoveMathDollars(inner).Trim() : inner.Trim();
    }

    static string? Boxed(string gold)
    {
        List<TextRegion> boxes = LatexScanner.BoxesIn(gold, 0, gold.Length);
        if (boxes.Count <= 1) return LastBoxed(gold);
        for (int k = 1; k < boxes.Count; k++)
            if (!JoinsItems(gold.AsSpan(boxes[k - 1].After, boxes[k].Open - boxes[k - 1].After))) return LastBoxed(gold);
        return string.Join(", ", boxes.Select(b => gold[b.Start..b.End].Trim()).Distinct());
    }

    // Boxes form one list answer only when the text between them lists ("\boxed{1} and \boxed{-2}", "$\boxed{2}$,
    // $\boxed{3}$"); "\boxed{1} no no \boxed{2}" is not a list.
    static bool JoinsItems(ReadOnlySpan<char> between)
    {
        if (between.Contains(',') || between.Contains(" and ", StringComparison.Ordinal)) return true;
        foreach (char c in between) if (!char.IsWhiteSpace(c) && c is not '$' and not '\\' and not '(' and not ')' and not ';') return false;
        return true;
    }

    // A gold that is a whole Minerva-style solution is graded by the value it states last.
    static string? MinervaValue(string gold)
    {
        const string Lead = "final answer is $";
        int lead = gold.LastIndexOf(Lead, StringComparison.OrdinalIgnoreCase);
        if (lead < 0) return null;
        int start = lead + Lead.Length, close = gold.IndexOf('$', start);
        return close > start ? gold[start..close] : null;
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
