using System.Text.Json;
using Ispo.Models.Tests.Checkpoints;
using Ispo.Models.Tokenization;

namespace Ispo.Models.Tests.Tokenization;

public class CharTokenizerTests
{
    [Fact]
    public void EveryAsciiCharacterIsOneTokenWithItsCode()
    {
        using var dir = new TempDir();
        var tokenizer = CharTokenizer.Save(dir.Path);
        const string text = "Q: 12+3=? \\frac{x^2}{y_1}\nA: 15.";
        Assert.Equal(text.Select(c => (int)c), tokenizer.Encode(text));
        Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text)));
    }

    [Fact]
    public void SpecialTokensFollowTheBytes()
    {
        using var dir = new TempDir();
        var tokenizer = CharTokenizer.Save(dir.Path);
        Assert.Equal(CharTokenizer.VocabSize, tokenizer.VocabSize);
        Assert.Equal(256, tokenizer.EosId);
        Assert.Equal(259, tokenizer.PadId);
        Assert.Equal([257, 117, 115, 101, 114, 10, 104, 105, 258], tokenizer.EncodeWithSpecialTokens("<|im_start|>user\nhi<|im_end|>"));
        Assert.Equal(10, tokenizer.Encode("<|im_end|>").Length);
        Assert.Equal("user", tokenizer.Decode([257, 117, 115, 101, 114, 258], skipSpecial: true));
    }

    [Fact]
    public void NonAsciiTextRoundTripsByteByByte()
    {
        using var dir = new TempDir();
        var tokenizer = CharTokenizer.Save(dir.Path);
        Assert.Equal([0xE2, 0x88, 0x9A], tokenizer.Encode("√"));
        Assert.Equal("√2 ≈ 1.414 😀", tokenizer.Decode(tokenizer.Encode("√2 ≈ 1.414 😀")));
    }

    [Fact]
    public void WritesHuggingFaceLayout()
    {
        using var dir = new TempDir();
        CharTokenizer.Save(dir.Path);
        using var json = JsonDocument.Parse(File.ReadAllText(dir.File("tokenizer.json")));
        var model = json.RootElement.GetProperty("model");
        Assert.Equal("BPE", model.GetProperty("type").GetString());
        Assert.Equal(256, model.GetProperty("vocab").EnumerateObject().Count());
        Assert.Equal(0, model.GetProperty("merges").GetArrayLength());
        Assert.Equal(4, json.RootElement.GetProperty("added_tokens").GetArrayLength());
        var config = TokenizerConfig.Load(dir.File("tokenizer_config.json"));
        Assert.Equal("<|endoftext|>", config.EosToken);
        Assert.Contains("<|im_start|>", config.ChatTemplate);
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp-*"));
    }
}
