// Turns an extracted answer into the canonical string handed to MathEquivalence.Compare (VERIFIER.md
// §Normalisation). Every step is a linear pass; nesting is bounded by the budget's depth limit.
using System.Text;

namespace Ispo.MathVerify.Normalization;

public static class AnswerNormalizer
{
    /// <summary>The normalised answer; throws <see cref="BudgetExceededException"/> on nesting deeper than
    /// <paramref name="maxDepth"/>.</summary>
    public static string Normalize(string answer, int maxDepth = 200)
    {
        string s = LatexCommandPass.Run(SurfaceForms.BeforeCommands(answer), maxDepth);
        s = RemoveDollars(s);
        s = CollapseSpaces(s).Trim();
        s = TrimPunctuation(s);
        s = SurfaceForms.AfterCommands(s);
        s = PercentWord(s);
        s = UnitWords.StripTrailing(s);
        s = NumberCleanup.Run(s);
        s = EquationSides.Run(s);
        s = TrimPunctuation(s.Trim());
        return WordAnswer(s);
    }

    static string RemoveDollars(string s) => s.Contains('$') ? s.Replace("$", "", StringComparison.Ordinal) : s;

    static string CollapseSpaces(string s)
    {
        var output = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            bool space = char.IsWhiteSpace(c);
            if (space && (output.Length == 0 || output[^1] == ' ')) continue;
            output.Append(space ? ' ' : c);
        }
        return output.ToString();
    }

    static string TrimPunctuation(string s)
    {
        int end = s.Length;
        while (end > 0 && (s[end - 1] is '.' or ';' or ',' || char.IsWhiteSpace(s[end - 1]))) end--;
        return s[..end];
    }

    static readonly string[] PercentWords = ["percentage", "percent", "pct"];

    // "50 percent", "50 pct" and "50 %" → "50%".
    static string PercentWord(string s)
    {
        foreach (string word in PercentWords)
            if (s.EndsWith(word, StringComparison.OrdinalIgnoreCase) && s.Length > word.Length && !char.IsAsciiLetter(s[^(word.Length + 1)]))
                return s[..^word.Length].TrimEnd() + "%";
        return s.EndsWith(" %", StringComparison.Ordinal) ? s[..^2].TrimEnd() + "%" : s;
    }

    /// <summary>Multiple-choice letters "(C)" → "C"; number words → digits; prose (as the comparison's
    /// TextAnswer sees it) → lowercase; anything else loses its insignificant spaces.</summary>
    static string WordAnswer(string s)
    {
        if (s.Length == 3 && s[0] == '(' && s[2] == ')' && char.IsAsciiLetterUpper(s[1])) return s[1].ToString();
        if (WordNumbers.Parse(s) is long value) return value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (s.Equals("infinity", StringComparison.OrdinalIgnoreCase)) return @"\infty";
        bool prose = TextAnswer.IsWordy(s) || s.Equals("no", StringComparison.OrdinalIgnoreCase);    // "No" is no product
        return prose ? s.ToLowerInvariant() : WithoutInsignificantSpaces(s);
    }

    // A space matters only between two letters (\cot x), two digits (1 2) or after a list comma before a digit
    // ("1, 234" is a list, "1,234" a number); "( 3, \pi )" → "(3,\pi)".
    static string WithoutInsignificantSpaces(string s)
    {
        if (!s.Contains(' ')) return s;
        var output = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == ' ' && !SignificantSpace(output, s, i + 1)) continue;
            output.Append(s[i]);
        }
        return output.ToString();
    }

    static bool SignificantSpace(StringBuilder before, string s, int next)
    {
        if (before.Length == 0 || next >= s.Length) return false;
        char left = before[^1], right = s[next];
        return (char.IsAsciiLetter(left) && char.IsAsciiLetter(right))
            || (char.IsAsciiDigit(right) && (char.IsAsciiDigit(left) || left == ','));
    }
}
