// Number formatting: thousands separators (7,425,000 and 1 000), the LaTeX decimal comma 3{,}5 and leading
// zeros (AIME "025"). A comma followed by a space, or inside brackets, separates list items and is kept.
using System.Text;

namespace Ispo.MathVerify.Normalization;

internal static class NumberCleanup
{
    public static string Run(string s)
    {
        if (!s.AsSpan().ContainsAnyInRange('0', '9')) return s;
        if (s.Contains('{') && s.Contains(',')) s = LatexCommas(s);
        s = DecimalComma(s);
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

    // `14{,}916` groups thousands (MATH's style); `3{,}5` is a decimal comma.
    static string LatexCommas(string s)
    {
        var output = new StringBuilder(s.Length);
        for (int i = 0; i < s.Length; i++)
        {
            int after = s[i] == '{' ? LatexCommaEnd(s, i + 1) : -1;
            if (after < 0) { output.Append(s[i]); continue; }
            while (output.Length > 0 && output[^1] == ' ') output.Length--;
            output.Append(GroupOfThree(s, after) ? "" : ".");
            i = after - 1;
        }
        return output.ToString();
    }

    // Just past the "}" of a "{,}" (spaces allowed inside: "{, }") that starts after a digit, or -1.
    static int LatexCommaEnd(string s, int i)
    {
        int open = i - 1;
        while (open > 0 && s[open - 1] == ' ') open--;
        if (open == 0 || !char.IsAsciiDigit(s[open - 1])) return -1;
        while (i < s.Length && s[i] == ' ') i++;
        if (i >= s.Length || s[i] != ',') return -1;
        i++;
        while (i < s.Length && s[i] == ' ') i++;
        if (i >= s.Length || s[i] != '}') return -1;
        i++;
        while (i < s.Length && s[i] == ' ') i++;
        return i;
    }

    // A whole answer "1000,99" or "0,111" is a decimal comma: no thousands group has a zero integer part, and two
    // decimals after a four-digit integer read as cents. "3,5" and "2500,7500" stay lists of two solutions.
    static string DecimalComma(string s)
    {
        int comma = s.IndexOf(',');
        if (comma <= 0 || s.IndexOf(',', comma + 1) >= 0) return s;
        int digitsStart = s[0] == '-' ? 1 : 0;
        for (int i = digitsStart; i < s.Length; i++)
            if (i != comma && !char.IsAsciiDigit(s[i])) return s;
        if (comma == digitsStart || comma == s.Length - 1) return s;
        int integerDigits = comma - digitsStart;
        bool decimalComma = (integerDigits == 1 && s[digitsStart] == '0') || (integerDigits >= 4 && s.Length - comma - 1 <= 2);
        return decimalComma ? s[..comma] + "." + s[(comma + 1)..] : s;
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
