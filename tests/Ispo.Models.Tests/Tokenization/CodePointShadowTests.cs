using System.Globalization;
using Ispo.Models.Tokenization;

namespace Ispo.Models.Tests.Tokenization;

public class CodePointShadowTests
{
    [Fact]
    public void AstralCharactersBecomeOneUnitOfTheirCategory()
    {
        string text = "a𝟎😀𝑥\uD800b";
        var shadow = CodePointShadow.Of(text);
        Assert.Equal(6, shadow.Text.Length);
        Assert.Equal(UnicodeCategory.DecimalDigitNumber, char.GetUnicodeCategory(shadow.Text[1]));
        Assert.Equal(UnicodeCategory.OtherSymbol, char.GetUnicodeCategory(shadow.Text[2]));
        Assert.Equal(UnicodeCategory.LowercaseLetter, char.GetUnicodeCategory(shadow.Text[3]));
        Assert.Equal('\uD800', shadow.Text[4]); // a lone surrogate stays itself
        Assert.Equal([0, 1, 3, 5, 7, 8, 9], Enumerable.Range(0, 7).Select(shadow.Offset));
    }

    [Fact]
    public void TextWithoutSurrogatesIsItsOwnShadow()
    {
        string text = "plain é 中";
        var shadow = CodePointShadow.Of(text);
        Assert.Same(text, shadow.Text);
        Assert.Equal(4, shadow.Offset(4));
    }
}
