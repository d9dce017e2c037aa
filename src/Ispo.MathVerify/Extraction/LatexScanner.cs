// Linear-time scanning primitives over LaTeX text: brace matching, \boxed{} occurrences and inline math spans.
namespace Ispo.MathVerify.Extraction;

/// <summary>A region [Start, End) of a string; Open is where its opening marker starts, After just past its closer.</summary>
internal readonly record struct TextRegion(int Open, int Start, int End, int After);

internal static class LatexScanner
{
    static readonly string[] BoxCommands = [@"\boxed", @"\fbox"];

    /// <summary>Index of the '}' matching the '{' at <paramref name="open"/>, or -1; \{ and \} are literals.</summary>
    public static int MatchBrace(string s, int open, int limit)
    {
        int depth = 0;
        for (int i = open; i < limit; i++)
        {
            char c = s[i];
            if (c == '\\') { i++; continue; }
            if (c == '{') depth++;
            else if (c == '}' && --depth == 0) return i;
        }
        return -1;
    }

    /// <summary>The box whose command starts at <paramref name="at"/> (\boxed{X}, \boxed X), or null.</summary>
    public static TextRegion? BoxAt(string s, int at, int limit)
    {
        string? command = null;
        foreach (string candidate in BoxCommands)
            if (string.CompareOrdinal(s, at, candidate, 0, candidate.Length) == 0) command = candidate;
        if (command is null) return null;
        int i = at + command.Length;
        if (i < limit && char.IsLetter(s[i])) return null;                     // another command, e.g. \boxedx
        int afterName = i;
        while (i < limit && s[i] == ' ') i++;
        if (i < limit && s[i] == '{')
        {
            int close = MatchBrace(s, i, limit);
            return close < 0 ? null : new TextRegion(at, i + 1, close, close + 1);
        }
        if (i == afterName) return null;                                      // `\boxed 5` needs the space
        int end = i;
        while (end < limit && !char.IsWhiteSpace(s[end]) && s[end] != '$') end++;
        return end > i ? new TextRegion(at, i, end, end) : null;
    }

    /// <summary>The right-most complete box in [from, limit), trying at most a few unclosed candidates.</summary>
    public static TextRegion? LastBox(string s, int from, int limit)
    {
        int searchEnd = limit;
        for (int tries = 0; tries < 16 && searchEnd > from; tries++)
        {
            int at = LastCommand(s, from, searchEnd);
            if (at < 0) return null;
            if (BoxAt(s, at, limit) is { } box) return box;
            searchEnd = at;
        }
        return null;
    }

    static int LastCommand(string s, int from, int end)
    {
        int best = -1;
        foreach (string command in BoxCommands)
        {
            int count = end - from;
            int at = count <= 0 ? -1 : s.LastIndexOf(command, end - 1, count, StringComparison.Ordinal);
            if (at + command.Length > end) at = -1;
            best = Math.Max(best, at);
        }
        return best;
    }

    /// <summary>All complete boxes in [from, limit), left to right, skipping boxes nested in an earlier one.</summary>
    public static List<TextRegion> BoxesIn(string s, int from, int limit)
    {
        var boxes = new List<TextRegion>();
        int i = from;
        while (i < limit)
        {
            int at = s.IndexOf('\\', i, limit - i);
            if (at < 0) break;
            if (BoxAt(s, at, limit) is { } box) { boxes.Add(box); i = box.End; }
            else i = at + 1;
        }
        return boxes;
    }

    /// <summary>The right-most inline math span ($…$ on one line, $$…$$, \(…\), \[…\]) in [from, s.Length).</summary>
    public static TextRegion? LastMathSpan(string s, int from)
    {
        TextRegion? last = null;
        foreach (TextRegion span in MathSpans(s, from)) last = span;
        return last;
    }

    /// <summary>Every math span in [from, s.Length), left to right; prices ("$520 - $480") are not math.</summary>
    public static IEnumerable<TextRegion> MathSpans(string s, int from)
    {
        int i = from;
        while ((i = IndexOfMathStart(s, i)) >= 0)
        {
            char c = s[i];
            bool opens = c == '$' || (c == '\\' && i + 1 < s.Length && s[i + 1] is '(' or '[');
            if (opens)
            {
                TextRegion? span = MathSpanAt(s, i, out int next);
                if (span is { } money && IsCurrency(s, money)) next = money.End;   // its closing '$' may open math
                else if (span is { } math) yield return math;
                i = next;
                continue;
            }
            i += c == '\\' ? 2 : 1;                                            // \$ is an escaped dollar
        }
    }

    /// <summary>`$` as a currency sign: "$520 - $480 = $<<520-480=40>>40" is two prices, not the math "520 - ".
    /// A single-dollar span that starts with a digit and ends in a space or an operator, or holds a GSM8K
    /// calculator annotation, is read as text.</summary>
    static bool IsCurrency(string s, TextRegion span)
    {
        if (s[span.Open] != '$' || span.Start != span.Open + 1 || span.End <= span.Start) return false;
        if (!char.IsAsciiDigit(s[span.Start]) && s[span.Start] != '<') return false;
        char last = s[span.End - 1];
        return char.IsWhiteSpace(last) || last is '+' or '-' or '*' or '/' or '='
            || s.AsSpan(span.Start, span.End - span.Start).Contains("<<", StringComparison.Ordinal);
    }

    static readonly System.Buffers.SearchValues<char> MathStarts = System.Buffers.SearchValues.Create("$\\");

    static int IndexOfMathStart(string s, int i)
    {
        if (i >= s.Length) return -1;
        int at = s.AsSpan(i).IndexOfAny(MathStarts);
        return at < 0 ? -1 : i + at;
    }

    /// <summary>The math span opened at <paramref name="open"/>, or null; <paramref name="next"/> is where a
    /// scan continues (after the closer, or past the point where no closer can follow).</summary>
    public static TextRegion? MathSpanAt(string s, int open, out int next)
    {
        string? closer = s[open] == '$'
            ? (open + 1 < s.Length && s[open + 1] == '$' ? "$$" : null)
            : s[open + 1] == '(' ? @"\)" : @"\]";
        if (closer is null) return InlineDollar(s, open, out next);
        int start = open + closer.Length;
        int close = s.IndexOf(closer, start, StringComparison.Ordinal);
        if (close < 0) { next = s.Length; return null; }                       // no closer anywhere later
        next = close + closer.Length;
        return new TextRegion(open, start, close, next);
    }

    static TextRegion? InlineDollar(string s, int open, out int next)
    {
        for (int j = open + 1; j < s.Length; j++)
        {
            char c = s[j];
            if (c == '\\') { j++; continue; }
            if (c == '\n') { next = j; return null; }                            // inline math never spans lines
            if (c == '$') { next = j + 1; return new TextRegion(open, open + 1, j, next); }
        }
        next = s.Length;
        return null;
    }
}
