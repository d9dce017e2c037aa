// Number formatting: thousands separators (7,425,000 and 1 000), the LaTeX decimal comma 3{,}5 and leading
// zeros (AIME "025"). A comma followed by a space, or inside brackets, separates list items and is kept.
using System.Text;

namespace Ispo.MathVerify.Normalization;

internal static class NumberCleanup
{
    public static string Run(string s)
    {
        if (!s.AsSpan().ContainsAnyInRange('0', '9')) return s;
        s = s.Replace("{,}", ".", StringComparison.Ordinal);
        var output = new StringBuilder(s.Length);
        int depth = 0;
        for (int i = 0; i < s.Length;)
        {
            char c = s[i];
            if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}') depth--;
            if (!char.IsAsciiDigit(c) || !StartsNumber(s, i)) { output.Append(c); i++; continue; }
            i = Number(s, i, depth, output);
        }
        return output.ToString();
    }

    // A digit run that is not part of a decimal, a word, or a subscript.
    static bool StartsNumber(string s, int i)
    {
        if (i == 0) return true;
        char before = s[i - 1];
        if (char.IsAsciiDigit(before) || char.IsAsciiLetter(before) || before is '.' or '_') return false;
        return !(before == '{' && i >= 2 && s[i - 2] == '_');
    }

    // Copies the integer part starting at `start` without leading zeros and with separators joined.
    static int Number(string s, int start, int depth, StringBuilder output)
    {
        int end = DigitsEnd(s, start);
        int first = start;
        while (first < end - 1 && s[first] == '0') first++;
        output.Append(s, first, end - first);
        if (end - start > 3 || depth > 0 || FollowsListItem(s, start)) return end;
        int joined = end;
        while (joined < s.Length && s[joined] is ',' or ' ' && GroupOfThree(s, joined + 1)) joined += 4;
        if (joined == end || StartsListItem(s, joined)) return end;          // 27,54,108: a list, not 27,054,108
        for (int group = end + 1; group < joined; group += 4) output.Append(s, group, 3);
        return joined;
    }

    static bool FollowsListItem(string s, int i) => i >= 2 && s[i - 1] == ',' && char.IsAsciiDigit(s[i - 2]);

    static bool StartsListItem(string s, int i) => i + 1 < s.Length && s[i] == ',' && char.IsAsciiDigit(s[i + 1]);

    static bool GroupOfThree(string s, int i) => DigitsEnd(s, i) == i + 3;

    static int DigitsEnd(string s, int i)
    {
        while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
        return i;
    }
}
