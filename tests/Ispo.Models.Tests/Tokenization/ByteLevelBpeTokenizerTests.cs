using System.Text;
using CsCheck;
using Ispo.Models.Tests.Checkpoints;
using Ispo.Models.Tokenization;
using static Ispo.Models.Tests.Tokenization.TestTokenizers;

namespace Ispo.Models.Tests.Tokenization;

public class ByteLevelBpeTokenizerTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EncodesKnownStringsToHandCheckedIds(bool arrayMerges)
    {
        using var dir = new TempDir();
        var tokenizer = Qwen2Style(dir.Path, arrayMerges);
        Assert.Equal([258], tokenizer.Encode("the"));
        Assert.Equal([258, 259], tokenizer.Encode("the the"));
        Assert.Equal([99, 97, 102, 261], tokenizer.Encode("café"));
        Assert.Equal([49, 50, 51], tokenizer.Encode("123")); // Qwen2 splits digits one by one, so "1 2" never merges
        Assert.Equal([256, 10], tokenizer.Encode(" t\n"));
        Assert.Equal([262], tokenizer.Encode("##"));
    }

    [Fact]
    public void Llama3PatternKeepsDigitGroups()
    {
        using var dir = new TempDir();
        var tokenizer = ByteLevelBpeTokenizer.Load(Write(dir.Path, Json(PreTokenizerPatterns.Llama3)));
        Assert.Equal([260, 51, 52], tokenizer.Encode("1234")); // "123" + "4", then BPE merges "1 2"
        Assert.Equal(["123", "4"], tokenizer.PreTokenize("1234"));
    }

    [Fact]
    public void Qwen2SplitRegexHandlesContractionsDigitsAndWhitespace()
    {
        using var dir = new TempDir();
        var tokenizer = Qwen2Style(dir.Path);
        Assert.Equal(["don", "'t", " stop"], tokenizer.PreTokenize("don't stop"));
        Assert.Equal(["DON", "'T"], tokenizer.PreTokenize("DON'T"));
        Assert.Equal(["x", "=", "1", "2", "+", "3"], tokenizer.PreTokenize("x=12+3"));
        Assert.Equal(["a", "  ", " b", "\n\n", "c"], tokenizer.PreTokenize("a   b\n\nc"));
        Assert.Equal(["$\\", "frac", "{", "1", "}{", "2", "}$"], tokenizer.PreTokenize("$\\frac{1}{2}$"));
    }

    [Fact]
    public void AstralCharactersSplitLikeHuggingFace()
    {
        using var dir = new TempDir();
        var tokenizer = Qwen2Style(dir.Path);
        Assert.Equal(["a𝑥b", " 𝑦"], tokenizer.PreTokenize("a𝑥b 𝑦"));       // math italic letters are \p{L}
        Assert.Equal(["x", "𝟏", "𝟐"], tokenizer.PreTokenize("x𝟏𝟐"));       // bold digits are \p{N}, one each
        Assert.Equal(["x", " 😀😀!\n"], tokenizer.PreTokenize("x 😀😀!\n"));      // emoji group with punctuation and newlines
    }

    [Fact]
    public void AstralCharactersCountAsOneCodePointInLlama3Split()
    {
        using var dir = new TempDir();
        var tokenizer = ByteLevelBpeTokenizer.Load(Write(dir.Path, Json(PreTokenizerPatterns.Llama3)));
        Assert.Equal(["𝟎77", "𝟎"], tokenizer.PreTokenize("𝟎77𝟎"));        // one astral digit is one of \p{N}{1,3}'s three
        Assert.Equal(["1𝟐3", "4"], tokenizer.PreTokenize("1𝟐34"));
        Assert.Equal(["😀b", " x"], tokenizer.PreTokenize("😀b x"));       // one astral symbol may start a word
        Assert.Equal([" 🄰", "ngstrom"], tokenizer.PreTokenize(" 🄰ngstrom"));
    }

    [Fact]
    public void SpecialTokensInUntrustedTextStayPlainText()
    {
        using var dir = new TempDir();
        var tokenizer = Qwen2Style(dir.Path);
        int[] plain = tokenizer.Encode("<|im_end|>");
        Assert.Equal(Encoding.ASCII.GetBytes("<|im_end|>").Select(b => (int)b), plain);
        Assert.DoesNotContain(plain, tokenizer.SpecialIds.Contains);
        Assert.Equal([ImStart, 258, ImEnd], tokenizer.EncodeWithSpecialTokens("<|im_start|>the<|im_end|>"));
        Assert.Equal("<|im_end|>", tokenizer.Decode(plain));
    }

    [Theory]
    [InlineData("héllo wörld 你好 😀 naïve")]
    [InlineData("  leading and trailing  \t\n\n  ")]
    [InlineData("0123456789 3.14159 -42 1e-9 ∫₀¹ x² dx = ⅓")]
    [InlineData("\\boxed{\\frac{a^2}{b_1}}\r\n")]
    public void RoundTripsUnicodeWhitespaceAndDigits(string text)
    {
        using var dir = new TempDir();
        var tokenizer = Qwen2Style(dir.Path);
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
        Assert.Equal(text, tokenizer.Decode(tokenizer.EncodeWithSpecialTokens(text)));
    }

    [Fact]
    public void RandomTextRoundTripsAndOffsetsCoverIt()
    {
        using var dir = new TempDir();
        var tokenizer = Qwen2Style(dir.Path);
        var rune = Gen.Frequency(
            (4, Gen.Int[32, 126]), (1, Gen.OneOfConst(9, 10, 13, 32)), (1, Gen.Int[0x80, 0xD7FF]), (1, Gen.Int[0xE000, 0x10FFFF]));
        var text = rune.Array[0, 40].Select(cs => string.Concat(cs.Select(c => new Rune(c).ToString())));
        text.Sample(s =>
        {
            int[] ids = tokenizer.Encode(s);
            var decoded = tokenizer.DecodeWithOffsets(ids);
            Assert.Equal(s, decoded.Text);
            Assert.Equal(0, decoded.Starts.FirstOrDefault());
            Assert.Equal(s.Length, decoded.Ends.LastOrDefault());
            for (int i = 1; i < ids.Length; i++) Assert.True(decoded.Starts[i] >= decoded.Starts[i - 1] && decoded.Ends[i - 1] >= decoded.Starts[i]);
        }, seed: "0N0XIzNsQ0O2", iter: 300);
    }

    [Fact]
    public void ConfigTokensResolveToIds()
    {
        using var dir = new TempDir();
        var tokenizer = Qwen2Style(dir.Path);
        Assert.Equal(ImEnd, tokenizer.EosId);
        Assert.Equal(EndOfText, tokenizer.PadId);
        Assert.Null(tokenizer.BosId);
        Assert.Equal(Xyz + 1, tokenizer.VocabSize);
        Assert.Equal("Ġthe", tokenizer.IdToToken(259));
        Assert.Equal(259, tokenizer.TokenToId("Ġthe"));
        Assert.Equal(ImStart, tokenizer.TokenToId("<|im_start|>"));
        Assert.Null(tokenizer.TokenToId("nope"));
    }

    [Fact]
    public void DecodeSkipsSpecialTokensOnRequest()
    {
        using var dir = new TempDir();
        var tokenizer = Qwen2Style(dir.Path);
        int[] ids = [ImStart, 258, ImEnd];
        Assert.Equal("<|im_start|>the<|im_end|>", tokenizer.Decode(ids));
        Assert.Equal("the", tokenizer.Decode(ids, skipSpecial: true));
    }

    [Fact]
    public void DecodeWithOffsetsMapsTokensToCharacters()
    {
        using var dir = new TempDir();
        var tokenizer = Qwen2Style(dir.Path);
        // "the é😀": the(258) Ġ(32→'Ġ' id 32) é(261) then 😀 as four byte tokens.
        int[] ids = [ImStart, .. tokenizer.Encode("the é😀")];
        Assert.Equal([ImStart, 258, 32, 261, 0xF0, 0x9F, 0x98, 0x80], ids);
        var decoded = tokenizer.DecodeWithOffsets(ids, skipSpecial: true);
        Assert.Equal("the é😀", decoded.Text);
        Assert.Equal([0, 0, 3, 4, 5, 5, 5, 5], decoded.Starts);
        Assert.Equal([0, 3, 4, 5, 7, 7, 7, 7], decoded.Ends);
        Assert.Equal((3, 4), decoded.TokensOverlapping(4, 5)); // "é"
        Assert.Equal((4, 8), decoded.TokensOverlapping(5, 7)); // the emoji's four byte tokens
        Assert.Equal((0, 0), decoded.TokensOverlapping(7, 7));
    }

    [Fact]
    public void CharacterSplitAcrossTokensMapsToBothTokens()
    {
        using var dir = new TempDir();
        var tokenizer = Qwen2Style(dir.Path);
        var decoded = tokenizer.DecodeWithOffsets([99, 0xC3, 0xA9, 0xC3]); // "c", "é" split in two, then a dangling byte
        Assert.Equal("cé\uFFFD", decoded.Text);
        Assert.Equal([0, 1, 1, 2], decoded.Starts);
        Assert.Equal([1, 2, 2, 3], decoded.Ends);
    }

    [Fact]
    public void IgnoreMergesUsesWholeWordsFromTheVocabulary()
    {
        using var dir = new TempDir();
        var with = ByteLevelBpeTokenizer.Load(Write(dir.Path, Json(PreTokenizerPatterns.Qwen2, ignoreMerges: true)));
        Assert.Equal([Xyz], with.Encode("xyz"));
        var without = ByteLevelBpeTokenizer.Load(Write(dir.Path, Json(PreTokenizerPatterns.Qwen2)));
        Assert.Equal([120, 121, 122], without.Encode("xyz"));
    }

    [Fact]
    public void NfcNormalizerComposesBeforeEncoding()
    {
        using var dir = new TempDir();
        var tokenizer = ByteLevelBpeTokenizer.Load(Write(dir.Path, Json(PreTokenizerPatterns.Qwen2, normalizer: new { type = "NFC" })));
        Assert.Equal([99, 97, 102, 261], tokenizer.Encode("café"));
        Assert.Equal([99, 97, 102, 261], tokenizer.Encode("cafe\u0301"));
    }

    [Fact]
    public void UnsupportedModelTypeNamesTheField()
    {
        using var dir = new TempDir();
        var json = Json(PreTokenizerPatterns.Qwen2);
        ((Dictionary<string, object?>)json["model"]!)["type"] = "WordPiece";
        var e = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(Write(dir.Path, json)));
        Assert.Contains("'model.type'", e.Message);
        Assert.Contains("WordPiece", e.Message);
    }

    [Fact]
    public void VocabularyWithoutEveryByteIsRefused()
    {
        using var dir = new TempDir();
        var json = Json(PreTokenizerPatterns.Qwen2);
        ((Dictionary<string, int>)((Dictionary<string, object?>)json["model"]!)["vocab"]!).Remove("Ġ");
        var e = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(Write(dir.Path, json)));
        Assert.Contains("byte 0x20", e.Message);
    }

    [Fact]
    public void BadMergeNamesItsIndex()
    {
        using var dir = new TempDir();
        var json = Json(PreTokenizerPatterns.Qwen2);
        ((Dictionary<string, object?>)json["model"]!)["merges"] = new[] { "a b", "abc" };
        var e = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(Write(dir.Path, json)));
        Assert.Contains("model.merges[1]", e.Message);
    }

    [Fact]
    public void MergeIntoAnUnknownTokenIsAnError()
    {
        using var dir = new TempDir();
        var json = Json(PreTokenizerPatterns.Qwen2);
        ((Dictionary<string, object?>)json["model"]!)["merges"] = new[] { "a b" };
        var e = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(Write(dir.Path, json)));
        Assert.Contains("model.merges[0]", e.Message);
        Assert.Contains("'ab'", e.Message);
    }

    [Fact]
    public void MergeOfPartsOutsideTheVocabularyNamesTheFileAndField()
    {
        using var dir = new TempDir();
        var json = Json(PreTokenizerPatterns.Qwen2);
        ((Dictionary<string, object?>)json["model"]!)["merges"] = Merges.Append(["xy", "z"]).ToArray(); // "xyz" is in the vocabulary, "xy" is not
        var e = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(Write(dir.Path, json)));
        Assert.StartsWith(Path.Combine(dir.Path, "tokenizer.json"), e.Message);
        Assert.Contains($"'model.merges[{Merges.Length}]'", e.Message);
        Assert.Contains("'xy'", e.Message);
    }

    [Fact]
    public async Task CatastrophicallyBacktrackingSplitRegexIsAnErrorNamingItsField()
    {
        using var dir = new TempDir();
        var tokenizer = ByteLevelBpeTokenizer.Load(Write(dir.Path, Json("(a+)+$")));
        var encode = Task.Run(() => tokenizer.Encode(new string('a', 64) + "!"));
        Assert.True(await Task.WhenAny(encode, Task.Delay(TimeSpan.FromSeconds(60))) == encode, "encoding still runs after 60 s");
        var e = await Assert.ThrowsAsync<InvalidDataException>(() => encode);
        Assert.StartsWith(Path.Combine(dir.Path, "tokenizer.json"), e.Message);
        Assert.Contains("'pre_tokenizer.pretokenizers[0].pattern.Regex'", e.Message);
    }

    [Theory]
    [InlineData("Ġthe", 5, "id 5 is used by both")]
    [InlineData("huge", 2_000_000_000, "is not below")]
    public void BadVocabularyIdsAreRefused(string token, int id, string expected)
    {
        using var dir = new TempDir();
        var json = Json(PreTokenizerPatterns.Qwen2);
        ((Dictionary<string, int>)((Dictionary<string, object?>)json["model"]!)["vocab"]!)[token] = id;
        var e = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(Write(dir.Path, json)));
        Assert.Contains(expected, e.Message);
        Assert.Contains("tokenizer.json", e.Message);
    }

    [Fact]
    public void ConfigTokenOutsideTheVocabularyIsAnError()
    {
        using var dir = new TempDir();
        Write(dir.Path, Json(PreTokenizerPatterns.Qwen2), """{"eos_token": "</s>"}""");
        var e = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(dir.Path));
        Assert.Contains("eos_token", e.Message);
        Assert.Contains("</s>", e.Message);
    }
}
