// A string with one UTF-16 unit per code point of a text, for regexes that must count code points: BMP characters
// (and lone surrogates) stay, each astral character becomes a BMP character of the same general category. Offsets
// in the shadow map back to the text.
using System.Globalization;
using System.Text;

namespace Ispo.Models.Tokenization;

public sealed class CodePointShadow
{
    readonly int[]? offsets; // text offset of each shadow offset (and of the end); null when the text has no astral character

    CodePointShadow(string text, int[]? offsets) => (Text, this.offsets) = (text, offsets);

    public string Text { get; }

    /// <summary>The text offset of a shadow offset.</summary>
    public int Offset(int shadowOffset) => offsets is null ? shadowOffset : offsets[shadowOffset];

    public static CodePointShadow Of(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF')) return new(text, null);
        var shadow = new StringBuilder(text.Length);
        var offsets = new List<int>(text.Length + 1);
        for (int i = 0; i < text.Length; i++)
        {
            offsets.Add(i);
            if (char.IsSurrogatePair(text, i))
            {
                shadow.Append(StandIn(Rune.GetUnicodeCategory(new Rune(text[i], text[i + 1]))));
                i++;
            }
            else shadow.Append(text[i]);
        }
        offsets.Add(text.Length);
        return new(shadow.ToString(), offsets.ToArray());
    }

    /// <summary>A BMP character of the category, outside ASCII so that literal ASCII in a pattern never matches it.</summary>
    static char StandIn(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter => '\u0391',
        UnicodeCategory.LowercaseLetter => '\u03B1',
        UnicodeCategory.TitlecaseLetter => '\u01C5',
        UnicodeCategory.ModifierLetter => '\u02B0',
        UnicodeCategory.OtherLetter => '\u05D0',
        UnicodeCategory.NonSpacingMark => '\u0300',
        UnicodeCategory.SpacingCombiningMark => '\u0903',
        UnicodeCategory.EnclosingMark => '\u20DD',
        UnicodeCategory.DecimalDigitNumber => '\u0660',
        UnicodeCategory.LetterNumber => '\u2160',
        UnicodeCategory.OtherNumber => '\u00B2',
        UnicodeCategory.ConnectorPunctuation => '\u203F',
        UnicodeCategory.DashPunctuation => '\u2010',
        UnicodeCategory.OpenPunctuation => '\uFF08',
        UnicodeCategory.ClosePunctuation => '\uFF09',
        UnicodeCategory.InitialQuotePunctuation => '\u00AB',
        UnicodeCategory.FinalQuotePunctuation => '\u00BB',
        UnicodeCategory.OtherPunctuation => '\u00A1',
        UnicodeCategory.MathSymbol => '\u00D7',
        UnicodeCategory.CurrencySymbol => '\u00A2',
        UnicodeCategory.ModifierSymbol => '\u00B4',
        UnicodeCategory.OtherSymbol => '\u00A9',
        UnicodeCategory.Format => '\u00AD',
        UnicodeCategory.PrivateUse => '\uE000',
        _ => '\u0378', // unassigned
    };
}
