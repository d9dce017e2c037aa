// Word answers (Evelyn, "no solution", Even): recognised before math parsing and compared case-insensitively.
using Ispo.MathVerify.Parsing;

namespace Ispo.MathVerify;

internal static class TextAnswer
{
    /// <summary>True for prose: only letters, spaces and light punctuation, no digits or LaTeX, and at least one word
    /// of three or more letters that is not a math name (sin, pi, sqrt, inf), so "xy" or "(C)" stay math.</summary>
    public static bool IsWordy(ReadOnlySpan<char> s)
    {
        bool hasWord = false;
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (char.IsLetter(c))
            {
                int start = i;
                while (i < s.Length && char.IsLetter(s[i])) i++;
                var word = s[start..i];
                if (word.Length >= 3 && !IsMathWord(word)) hasWord = true;
                continue;
            }
            if (!(c is ' ' or '.' or ',' or '-' or '\'' or '(' or ')' or '!' or '?')) return false;
            i++;
        }
        return hasWord;
    }

    /// <summary>Only letters (at least two), spaces and light punctuation: short word answers such as "No" that the
    /// parser would read as a product of variables.</summary>
    public static bool IsLetters(ReadOnlySpan<char> s)
    {
        int letters = 0;
        foreach (var c in s)
        {
            if (char.IsLetter(c)) letters++;
            else if (!(c is ' ' or '.' or ',' or '-' or '\'' or '(' or ')' or '!' or '?')) return false;
        }
        return letters >= 2;
    }

    static bool IsMathWord(ReadOnlySpan<char> word) =>
        CommandTable.TryFunction(word, out _) || word is "sqrt" or "pi" or "inf" or "infty" or "infinity";

    /// <summary>Case-insensitive equality ignoring spaces and a trailing period.</summary>
    public static bool Equal(string a, string b)
    {
        var x = a.AsSpan().Trim().TrimEnd('.');
        var y = b.AsSpan().Trim().TrimEnd('.');
        int i = 0, j = 0;
        while (true)
        {
            while (i < x.Length && x[i] == ' ') i++;
            while (j < y.Length && y[j] == ' ') j++;
            if (i == x.Length || j == y.Length) return i == x.Length && j == y.Length;
            if (char.ToLowerInvariant(x[i]) != char.ToLowerInvariant(y[j])) return false;
            i++; j++;
        }
    }
}
