// Unicode normalization (NFC, NFD, NFKC, NFKD; UAX #15) in managed code. string.Normalize cannot be used: the
// program runs with InvariantGlobalization (no ICU needed to start), where it leaves non-ASCII text unchanged, and
// with ICU its Unicode version would vary by machine. Our tables pin HF's version instead (see NormalizationTables).
using System.Text;

namespace Ispo.Models.Tokenization.Unicode;

public static class UnicodeNormalizer
{
    const int SBase = 0xAC00, LBase = 0x1100, VBase = 0x1161, TBase = 0x11A7, LCount = 19, VCount = 21, TCount = 28;
    const int NCount = VCount * TCount, SCount = LCount * NCount;

    public static string Normalize(string text, NormalizationForm form)
    {
        if (IsQuickYes(text, form)) return text;
        var tables = NormalizationTables.Instance;
        bool compatibility = form is NormalizationForm.FormKC or NormalizationForm.FormKD;
        var codePoints = new List<int>(text.Length);
        foreach (int cp in CodePoints(text)) Decompose(tables, cp, compatibility, codePoints);
        SortCanonically(tables, codePoints);
        if (form is NormalizationForm.FormC or NormalizationForm.FormKC) Compose(tables, codePoints);
        var result = new StringBuilder(text.Length);
        foreach (int cp in codePoints) AppendCodePoint(result, cp);
        return result.ToString();
    }

    /// <summary>Text below the first code point that the form may change is already normalized.</summary>
    static bool IsQuickYes(string text, NormalizationForm form)
    {
        int limit = form switch { NormalizationForm.FormC => 0x300, NormalizationForm.FormD => 0xC0, _ => 0xA0 };
        foreach (char c in text)
            if (c >= limit) return false;
        return true;
    }

    /// <summary>Code points of a string; a lone surrogate passes through as itself (it has no decomposition).</summary>
    static IEnumerable<int> CodePoints(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (char.IsSurrogatePair(text, i)) { yield return char.ConvertToUtf32(text[i], text[i + 1]); i++; }
            else yield return text[i];
        }
    }

    static void AppendCodePoint(StringBuilder builder, int cp)
    {
        if (cp < 0x10000) builder.Append((char)cp);
        else builder.Append(char.ConvertFromUtf32(cp));
    }

    static void Decompose(NormalizationTables tables, int cp, bool compatibility, List<int> output)
    {
        if (cp is >= SBase and < SBase + SCount)
        {
            int s = cp - SBase;
            output.Add(LBase + s / NCount);
            output.Add(VBase + s % NCount / TCount);
            if (s % TCount != 0) output.Add(TBase + s % TCount);
        }
        else if (tables.Decomposition(cp, compatibility) is { } seq)
            foreach (int part in seq) Decompose(tables, part, compatibility, output);
        else output.Add(cp);
    }

    /// <summary>The canonical ordering algorithm: each run of non-starters stably sorted by combining class.</summary>
    static void SortCanonically(NormalizationTables tables, List<int> cps)
    {
        for (int i = 1; i < cps.Count; i++)
        {
            int ccc = tables.CombiningClass(cps[i]);
            if (ccc == 0) continue;
            int cp = cps[i], j = i;
            for (; j > 0 && tables.CombiningClass(cps[j - 1]) > ccc; j--) cps[j] = cps[j - 1];
            cps[j] = cp;
        }
    }

    /// <summary>The canonical composition algorithm (UAX #15's sample code): a character composes with the last
    /// starter unless a character between them has a combining class of zero or at least its own.</summary>
    static void Compose(NormalizationTables tables, List<int> cps)
    {
        if (cps.Count == 0) return;
        int starterPos = 0, starter = cps[0], lastClass = tables.CombiningClass(starter) == 0 ? 0 : 256, written = 1;
        for (int i = 1; i < cps.Count; i++)
        {
            int cp = cps[i], ccc = tables.CombiningClass(cp);
            int composite = lastClass < ccc || lastClass == 0 ? ComposePair(tables, starter, cp) : -1;
            if (composite >= 0)
            {
                cps[starterPos] = starter = composite;
                continue;
            }
            if (ccc == 0) { starterPos = written; starter = cp; }
            lastClass = ccc;
            cps[written++] = cp;
        }
        cps.RemoveRange(written, cps.Count - written);
    }

    static int ComposePair(NormalizationTables tables, int first, int second)
    {
        if (first is >= LBase and < LBase + LCount && second is >= VBase and < VBase + VCount)
            return SBase + ((first - LBase) * VCount + (second - VBase)) * TCount;
        if (first is >= SBase and < SBase + SCount && (first - SBase) % TCount == 0 && second is > TBase and < TBase + TCount)
            return first + (second - TBase);
        return tables.Compose(first, second);
    }
}
