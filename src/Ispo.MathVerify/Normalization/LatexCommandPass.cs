// One left-to-right pass over LaTeX that drops spacing/sizing/styling commands, unwraps \text{}-like groups,
// renames \dfrac-like commands, braces malformed arguments (\frac12, \sqrt3) and removes degree marks.
using System.Text;

namespace Ispo.MathVerify.Normalization;

internal static class LatexCommandPass
{
    static readonly HashSet<string> Dropped =
        ["left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
         "displaystyle", "textstyle", "scriptstyle", "limits", "nolimits", "circ", "degree", "$", "mathstrut"];

    static readonly HashSet<string> Spaces = [",", ";", ":", " ", "quad", "qquad", "enspace", "thinspace"];

    static readonly Dictionary<string, string> Renamed = new()
    {
        ["dfrac"] = @"\frac", ["tfrac"] = @"\frac", ["cfrac"] = @"\frac", ["%"] = "%", ["geqslant"] = @"\geq",
        ["leqslant"] = @"\leq", ["lbrace"] = @"\{", ["rbrace"] = @"\}", ["lvert"] = "|", ["rvert"] = "|",
        ["vert"] = "|", ["dots"] = @"\ldots", ["cdots"] = @"\ldots", ["dotsc"] = @"\ldots",
    };

    static readonly HashSet<string> Unwrapped =
        ["text", "textbf", "textit", "textrm", "textnormal", "textup", "textsf", "mathrm", "mathbf", "mathit",
         "mathsf", "mbox", "hbox", "boldsymbol", "bm", "boxed", "fbox", "emph"];

    /// <summary>Commands whose single-token arguments get braces: name → argument count.</summary>
    static readonly Dictionary<string, int> BracedArguments = new() { ["frac"] = 2, ["sqrt"] = 1, ["binom"] = 2 };

    static readonly Dictionary<char, string> Unicode = new()
    {
        ['−'] = "-", ['–'] = "-", ['×'] = @"\times ", ['·'] = @"\cdot ", ['π'] = @"\pi ", ['∞'] = @"\infty ",
        ['≤'] = @"\leq ", ['≥'] = @"\geq ", ['≠'] = @"\neq ", ['√'] = @"\sqrt", ['°'] = "", ['∪'] = @"\cup ",
        ['∈'] = @"\in ", ['±'] = @"\pm ", ['\u00a0'] = " ",
    };

    public static string Run(string s, int maxDepth)
    {
        var output = new StringBuilder(s.Length);
        Append(s, 0, s.Length, output, 0, maxDepth);
        return output.ToString();
    }

    static void Append(string s, int start, int end, StringBuilder output, int depth, int maxDepth)
    {
        if (depth > maxDepth) throw new BudgetExceededException($"LaTeX nesting deeper than {maxDepth}");
        int i = start;
        while (i < end)
        {
            char c = s[i];
            if (c == '\\') i = Command(s, i, end, output, depth, maxDepth);
            else if (c == '^' && DegreeMarkEnd(s, i + 1, end) is int after and > 0) i = after;
            else if (c == '~') { output.Append(' '); i++; }
            else if (Unicode.TryGetValue(c, out string? mapped)) { output.Append(mapped); i++; }
            else { output.Append(c); i++; }
        }
    }

    // Handles the command at s[at] == '\\'; returns where to continue.
    static int Command(string s, int at, int end, StringBuilder output, int depth, int maxDepth)
    {
        int nameEnd = at + 1;
        while (nameEnd < end && char.IsAsciiLetter(s[nameEnd])) nameEnd++;
        if (nameEnd == at + 1 && nameEnd < end) nameEnd++;                     // one-symbol command: \, \! \%
        string name = s[(at + 1)..nameEnd];
        if (name == "!") return SkipSpaces(s, nameEnd, end);                     // 10,\! 080: a negative space
        if (Dropped.Contains(name)) return nameEnd;
        if (Spaces.Contains(name)) { output.Append(' '); return nameEnd; }
        if (Unwrapped.Contains(name)) return Unwrap(s, nameEnd, end, output, depth, maxDepth);
        string written = Renamed.TryGetValue(name, out string? renamed) ? renamed : s[at..nameEnd];
        output.Append(written);
        string canonical = written.TrimStart('\\');
        return BracedArguments.TryGetValue(canonical, out int count)
            ? Arguments(s, nameEnd, end, count, output, depth, maxDepth)
            : nameEnd;
    }

    // \text{X} → X (normalised); a unit after a quantity is dropped with any ^2/^3 after it.
    static int Unwrap(string s, int i, int end, StringBuilder output, int depth, int maxDepth)
    {
        i = SkipSpaces(s, i, end);
        if (i >= end || s[i] != '{') return i;
        int close = Extraction.LatexScanner.MatchBrace(s, i, end);
        if (close < 0) return i;
        string inner = s[(i + 1)..close];
        if (FollowsQuantity(output) && UnitWords.IsUnit(inner.Trim(' ', '~').Replace(@"\ ", " ")))
        {
            output.Append(' ');
            return SkipUnitPower(s, close + 1, end);
        }
        Append(s, i + 1, close, output, depth + 1, maxDepth);
        return close + 1;
    }

    // A unit needs a quantity before it: "5\text{ m}" drops the unit, a lone "\text{C}" is an answer.
    static bool FollowsQuantity(StringBuilder output)
    {
        int i = output.Length - 1;
        while (i >= 0 && output[i] == ' ') i--;
        return i >= 0 && (char.IsAsciiDigit(output[i]) || output[i] is '}' or ')' or '.');
    }

    static int SkipUnitPower(string s, int i, int end)
    {
        if (i < end && s[i] == '^' && i + 1 < end)
        {
            if (char.IsAsciiDigit(s[i + 1])) return i + 2;
            if (s[i + 1] == '{' && Extraction.LatexScanner.MatchBrace(s, i + 1, end) is int close and > 0) return close + 1;
        }
        return i;
    }

    // Copies `count` arguments of \frac/\sqrt/\binom, bracing single tokens: \frac12 → \frac{1}{2}.
    static int Arguments(string s, int i, int end, int count, StringBuilder output, int depth, int maxDepth)
    {
        int afterName = i;
        i = SkipSpaces(s, i, end);
        if (count == 1 && i < end && s[i] == '[')                               // \sqrt[n]{x}
        {
            int close = s.IndexOf(']', i, end - i);
            if (close < 0) return afterName;
            output.Append('[');
            Append(s, i + 1, close, output, depth + 1, maxDepth);
            output.Append(']');
            i = close + 1;
        }
        for (int k = 0; k < count; k++)
        {
            i = SkipSpaces(s, i, end);
            if (i >= end) return i;
            if (s[i] == '{')
            {
                int close = Extraction.LatexScanner.MatchBrace(s, i, end);
                if (close < 0) return i;
                output.Append('{');
                Append(s, i + 1, close, output, depth + 1, maxDepth);
                output.Append('}');
                i = close + 1;
            }
            else if (char.IsAsciiLetterOrDigit(s[i])) { output.Append('{').Append(s[i]).Append('}'); i++; }
            else if (s[i] == '\\')
            {
                output.Append('{');
                i = Command(s, i, end, output, depth + 1, maxDepth);
                output.Append('}');
            }
            else return i;
        }
        return i;
    }

    static int SkipSpaces(string s, int i, int end)
    {
        while (i < end && s[i] == ' ') i++;
        return i;
    }

    // After '^': the end of `\circ` or `{\circ}`, else -1.
    static int DegreeMarkEnd(string s, int i, int end)
    {
        const string Circ = @"\circ", BracedCirc = @"{\circ}";
        if (Matches(s, i, end, Circ) && (i + Circ.Length == end || !char.IsAsciiLetter(s[i + Circ.Length]))) return i + Circ.Length;
        if (Matches(s, i, end, BracedCirc)) return i + BracedCirc.Length;
        return -1;
    }

    static bool Matches(string s, int i, int end, string value) =>
        end - i >= value.Length && string.CompareOrdinal(s, i, value, 0, value.Length) == 0;
}
