// HF's Split pre-tokenizer ("Isolated": matches and the gaps between them are pieces), applied regex after regex.
// HF's regex engines match code points; .NET matches UTF-16 units, where \p{L} and \p{N} never match a surrogate.
// So we match on a shadow copy in which each astral character's two units stand in for its category (letters "aa",
// numbers "00", anything else "!!"), then join pieces that would split a surrogate pair. This reproduces HF's
// piece boundaries for astral letters (math italic 𝑥) and digits; one known difference remains: HF lets a single
// astral symbol prefix a word ("😀b" is one piece there, two here).
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Ispo.Models.Tokenization;

public sealed class RegexSplitter(IReadOnlyList<SplitPattern> patterns, string source = "tokenizer")
{
    /// <summary>The longest one match may take. Real split patterns take microseconds per piece; one that backtracks
    /// catastrophically (nested quantifiers) would otherwise hang every encode of an unlucky text.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(2);

    readonly (Regex Regex, string Field)[] regexes =
        patterns.Select(p => (new Regex(p.Regex, RegexOptions.Compiled | RegexOptions.CultureInvariant, MatchTimeout), p.Field)).ToArray();

    public IEnumerable<string> Split(string text)
    {
        if (text.Length == 0) return [];
        string shadow = Shadow(text);
        List<(int Start, int End)> pieces = [(0, text.Length)];
        foreach (var (regex, field) in regexes)
        {
            try { pieces = pieces.SelectMany(p => SplitIsolated(regex, shadow, p.Start, p.End)).ToList(); }
            catch (RegexMatchTimeoutException)
            {
                throw new InvalidDataException($"{source}: field '{field}': the split regex took over {MatchTimeout.TotalSeconds} s "
                    + $"on a {text.Length}-character text (catastrophic backtracking?)");
            }
        }
        return KeepPairsTogether(text, pieces).Select(p => text[p.Start..p.End]);
    }

    static List<(int, int)> SplitIsolated(Regex regex, string shadow, int start, int end)
    {
        var pieces = new List<(int, int)>();
        int position = start;
        foreach (var match in regex.EnumerateMatches(shadow.AsSpan(start, end - start)))
        {
            if (match.Length == 0) continue;
            int matchStart = start + match.Index;
            if (matchStart > position) pieces.Add((position, matchStart));
            pieces.Add((matchStart, matchStart + match.Length));
            position = matchStart + match.Length;
        }
        if (position < end) pieces.Add((position, end));
        return pieces;
    }

    static IEnumerable<(int Start, int End)> KeepPairsTogether(string text, List<(int Start, int End)> pieces)
    {
        int start = 0;
        foreach (var (_, end) in pieces)
        {
            if (end < text.Length && char.IsHighSurrogate(text[end - 1])) continue; // the pair continues in the next piece
            yield return (start, end);
            start = end;
        }
    }

    static string Shadow(string text)
    {
        if (!text.Any(char.IsSurrogate)) return text;
        var shadow = new StringBuilder(text);
        for (int i = 0; i + 1 < text.Length; i++)
        {
            if (!char.IsSurrogatePair(text[i], text[i + 1])) continue;
            char standIn = CategoryStandIn(Rune.GetUnicodeCategory(new Rune(text[i], text[i + 1])));
            shadow[i] = shadow[i + 1] = standIn;
            i++;
        }
        return shadow.ToString();
    }

    static char CategoryStandIn(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => 'a',
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => '0',
        _ => '!',
    };
}
