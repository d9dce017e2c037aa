using Ispo.Models.Tests.Checkpoints;
using Ispo.Models.Tokenization;

namespace Ispo.Models.Tests.Tokenization;

public class TokenizerConfigTests
{
    [Fact]
    public void ReadsStringAndObjectTokensAndNamedTemplates()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("tokenizer_config.json"), """
            {"add_bos_token": true, "bos_token": {"__type": "AddedToken", "content": "<s>"}, "eos_token": "</s>",
             "pad_token": null, "additional_special_tokens": ["<a>", {"content": "<b>"}],
             "chat_template": [{"name": "tool_use", "template": "T"}, {"name": "default", "template": "D"}]}
            """);
        var config = TokenizerConfig.Load(dir.File("tokenizer_config.json"));
        Assert.Equal(new TokenizerConfig("<s>", "</s>", null, null, config.AdditionalSpecialTokens, "D", true), config);
        Assert.Null(config.AddEosToken); // absent, which HF treats differently from false
        Assert.Equal(["<a>", "<b>"], config.AdditionalSpecialTokens);
    }

    [Fact]
    public void SaveLoadRoundTrips()
    {
        using var dir = new TempDir();
        var config = new TokenizerConfig(EosToken: "<|im_end|>", PadToken: "<pad>", AdditionalSpecialTokens: ["<x>"], ChatTemplate: "{{ x }}\n",
            AddBosToken: false, TokenizerClass: "LlamaTokenizerFast");
        config.Save(dir.File("tokenizer_config.json"));
        var loaded = TokenizerConfig.Load(dir.File("tokenizer_config.json"));
        Assert.Equal(config with { AdditionalSpecialTokens = loaded.AdditionalSpecialTokens }, loaded);
        Assert.Equal(["<x>"], loaded.AdditionalSpecialTokens);
    }

    [Theory]
    [InlineData("""{"eos_token": 5}""", "'eos_token'")]
    [InlineData("""{"add_bos_token": "yes"}""", "'add_bos_token'")]
    [InlineData("""{"additional_special_tokens": [1]}""", "'additional_special_tokens[0]'")]
    [InlineData("""{"eos_token": """, "not valid JSON")]
    public void BadFieldsAreNamed(string json, string expected)
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("tokenizer_config.json"), json);
        var e = Assert.Throws<InvalidDataException>(() => TokenizerConfig.Load(dir.File("tokenizer_config.json")));
        Assert.Contains(expected, e.Message);
        Assert.Contains("tokenizer_config.json", e.Message);
    }
}
