// Spellings that say the same answer: "x = 1/3 \approx 0.33" (the exact value is the answer), "1 \text{ and } 2"
// (a list), "{1, 2}" in plain braces (LaTeX grouping of a list, not a set), a glued "\quadx", and JSON-doubled
// backslashes ("\\frac" for "\frac").
using System.Text;

namespace Ispo.MathVerify.Normalization;

internal static class SurfaceForms
{
    /// <summary>Before the LaTeX command pass: doubled backslashes and glued spacing commands.</summary>
    public static string BeforeCommands(string s)
    {
        if (!s.Contains('\\')) return s;
        if (s.Contains(@"\\", StringComparison.Ordinal) && !s.Contains('&')) s = UndoubleBackslashes(s);
        if (s.Contains("quad", StringComparison.Ordinal)) s = s.Replace(@"\qquad", " ", StringComparison.Ordinal).Replace(@"\quad", " ", StringComparison.Ordinal);
        return s;
    }

    /// <summary>After the command pass: approximations dropped, connective words as commas, outer braces off.</summary>
    public static string AfterCommands(string s)
    {
        s = BeforeApproximation(s);
        s = Connectives(s);
        return WithoutOuterBraces(s);
    }

    // `\\frac` → `\frac`: a line break right before a letter is not meaningful in one answer (matrices, which use
    // `\\` between rows, are left alone).
    static string UndoubleBackslashes(string s)
    {
        var output = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] == '\\' && i + 2 < s.Length && s[i + 1] == '\\' && char.IsAsciiLetter(s[i + 2])) continue;
            output.Append(s[i]);
        }
        return output.ToString();
    }

    // "1/3 \approx 0.33" keeps the exact 1/3; "x \approx 11" (nothing exact stated) keeps 11.
    static string BeforeApproximation(string s)
    {
        int at = s.IndexOf(@"\approx", StringComparison.Ordinal);
        if (at <= 0 || TopLevel.Split(s[..at], ',').Count != 1) return s;
        string before = s[..at].Trim();
        return EquationSides.IsLoneVariable(before) || EquationSides.IsLabel(before) ? s[(at + 7)..].Trim() : before;
    }

    static readonly string[] Words = [" and ", " or "];

    // "(5, 8) and (8, 5)" → "(5, 8), (8, 5)" when both sides hold math (a digit or a command), so that prose
    // answers ("Alice and Bob") stay prose.
    static string Connectives(string s)
    {
        foreach (string word in Words)
        {
            int at = s.IndexOf(word, StringComparison.Ordinal);
            if (at <= 0) continue;
            string left = s[..at], right = s[(at + word.Length)..];
            if (IsMath(left) && IsMath(right)) s = left.TrimEnd() + ", " + right.TrimStart();
        }
        return s;
    }

    static bool IsMath(string side) => side.AsSpan().IndexOfAny("0123456789\\") >= 0;

    static string WithoutOuterBraces(string s)
    {
        if (s.Length < 2 || s[0] != '{' || s[^1] != '}') return s;
        int close = Extraction.LatexScanner.MatchBrace(s, 0, s.Length);
        return close == s.Length - 1 && TopLevel.Split(s[1..^1], ',').Count > 1 ? s[1..^1].Trim() : s;
    }
}
