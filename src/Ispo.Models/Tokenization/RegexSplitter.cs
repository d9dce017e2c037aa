// HF's Split pre-tokenizer ("Isolated": matches and the gaps between them are pieces), applied regex after regex.
// HF's regex engines match code points; .NET matches UTF-16 units, where an astral character is two units that
// \p{L} and \p{N} never match and that count twice in \p{N}{1,3}. So we match on a shadow string with one unit per
// code point: each astral character is replaced by a BMP stand-in of its general category (see CodePointShadow),
// and pieces are mapped back to the text's offsets. This is exact for patterns written with Unicode categories and
// ASCII literals, as HF's GPT-2, Qwen2 and Llama-3 patterns are.
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
        var shadow = CodePointShadow.Of(text);
        List<(int Start, int End)> pieces = [(0, shadow.Text.Length)];
        foreach (var (regex, field) in regexes)
        {
            try { pieces = pieces.SelectMany(p => SplitIsolated(regex, shadow.Text, p.Start, p.End)).ToList(); }
            catch (RegexMatchTimeoutException)
            {
                throw new InvalidDataException($"{source}: field '{field}': the split regex took over {MatchTimeout.TotalSeconds} s "
                    + $"on a {text.Length}-character text (catastrophic backtracking?)");
            }
        }
        return pieces.Select(p => text[shadow.Offset(p.Start)..shadow.Offset(p.End)]);
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
}
