// Trims an extracted region: whitespace, markdown bold, trailing punctuation (not "!": factorial) and math
// delimiters, repeatedly.
namespace Ispo.MathVerify.Extraction;

internal static class AnswerCleanup
{
    static readonly (string Open, string Close)[] Wrappers =
        [("**", "**"), ("$$", "$$"), ("$", "$"), (@"\(", @"\)"), (@"\[", @"\]")];

    /// <summary>The cleaned sub-region of [start, end) in <paramref name="s"/>.</summary>
    public static (int Start, int End) Trim(string s, int start, int end)
    {
        bool changed = true;
        while (changed && start < end)
        {
            changed = false;
            while (start < end && char.IsWhiteSpace(s[start])) { start++; changed = true; }
            while (end > start && char.IsWhiteSpace(s[end - 1])) { end--; changed = true; }
            if (end > start && s[end - 1] is '.' or ',' or ';' or ':' && !IsEscaped(s, start, end - 1))
            {
                end--;
                changed = true;
            }
            foreach (var (open, close) in Wrappers)
            {
                if (end - start < open.Length + close.Length) continue;
                if (string.CompareOrdinal(s, start, open, 0, open.Length) != 0) continue;
                if (string.CompareOrdinal(s, end - close.Length, close, 0, close.Length) != 0) continue;
                start += open.Length;
                end -= close.Length;
                changed = true;
                break;
            }
        }
        return (start, end);
    }

    // `\!` `\,` `\;` `\:` are LaTeX spacing commands, not punctuation.
    static bool IsEscaped(string s, int start, int at) => at > start && s[at - 1] == '\\';
}
