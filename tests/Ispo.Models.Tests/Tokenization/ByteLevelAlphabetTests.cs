using Ispo.Models.Tokenization;

namespace Ispo.Models.Tests.Tokenization;

public class ByteLevelAlphabetTests
{
    [Fact]
    public void MapsBytesLikeGpt2()
    {
        Assert.Equal('Ġ', ByteLevelAlphabet.ToChar((byte)' '));
        Assert.Equal('Ċ', ByteLevelAlphabet.ToChar((byte)'\n'));
        Assert.Equal('A', ByteLevelAlphabet.ToChar((byte)'A'));
        Assert.Equal('Ā', ByteLevelAlphabet.ToChar(0));
        Assert.Equal("ÃŃ", ByteLevelAlphabet.Encode("í")); // C3 AD: AD is not printable, so it maps past U+0100
    }

    [Fact]
    public void IsABijectionOnBytes()
    {
        var chars = Enumerable.Range(0, 256).Select(b => ByteLevelAlphabet.ToChar((byte)b)).ToList();
        Assert.Equal(256, chars.Distinct().Count());
        for (int b = 0; b < 256; b++)
        {
            Assert.True(ByteLevelAlphabet.TryToByte(chars[b], out byte back));
            Assert.Equal(b, back);
        }
    }
}
