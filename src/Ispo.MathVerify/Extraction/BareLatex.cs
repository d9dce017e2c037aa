// LaTeX written without math delimiters: a number inside `\frac{10}{9}` is part of that fraction, so the last
// resort takes the whole command (with its arguments), not the denominator 9.
namespace Ispo.MathVerify.Extraction;

internal static class BareLatex
{
    const int MaxLookBack = 256;

    /// <summary>The region of the outermost command whose brace arguments hold [start, end), else [start, end).</summary>
    public static (int Start, int End) Around(string s, int from, int start, int end)
    {
        for (int levels = 0; levels < 8 && CommandAround(s, from, start) is { } command; levels++)
            (start, end) = (command, ArgumentsEnd(s, command, end));
        return (start, end);
    }

    // Start of the `\command` one of whose brace arguments contains `at`, or null.
    static int? CommandAround(string s, int from, int at)
    {
        int open = UnmatchedOpen(s, Math.Max(from, at - MaxLookBack), at);
        while (open > from)
        {
            int name = open;
            while (name > from && char.IsAsciiLetter(s[name - 1])) name--;
            if (name < open && name > from && s[name - 1] == '\\') return name - 1;
            if (s[open - 1] != '}') return null;
            open = MatchingOpen(s, Math.Max(from, open - MaxLookBack), open - 1);       // \frac{a}{b}: back to {a}
        }
        return null;
    }

    // The '{' left of `at` not closed before `at`, or -1 (stops at a line break).
    static int UnmatchedOpen(string s, int limit, int at)
    {
        int depth = 0;
        for (int i = at - 1; i >= limit; i--)
        {
            if (s[i] == '\n') return -1;
            if (s[i] == '}') depth++;
            else if (s[i] == '{' && depth-- == 0) return i;
        }
        return -1;
    }

    static int MatchingOpen(string s, int limit, int close)
    {
        int depth = 0;
        for (int i = close; i >= limit; i--)
        {
            if (s[i] == '}') depth++;
            else if (s[i] == '{' && --depth == 0) return i;
        }
        return -1;
    }

    // Past the command's name and its consecutive {…} arguments (at least up to `end`).
    static int ArgumentsEnd(string s, int command, int end)
    {
        int i = command + 1;
        while (i < s.Length && char.IsAsciiLetter(s[i])) i++;
        while (i < s.Length && s[i] == '{' && LatexScanner.MatchBrace(s, i, s.Length) is var close and >= 0) i = close + 1;
        return Math.Max(i, end);
    }
}
