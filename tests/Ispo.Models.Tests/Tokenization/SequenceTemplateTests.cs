using Ispo.Models.Chat;
using Ispo.Models.Tests.Checkpoints;
using Ispo.Models.Tokenization;
using static Ispo.Models.Tests.Tokenization.TestTokenizers;

namespace Ispo.Models.Tests.Tokenization;

public class SequenceTemplateTests
{
    // Expected ids from HF-compatible tokenizers on the full files (Fixtures/README.md).
    const string Hello = "Hello, my dog is cute", Sum = "What is 12 + 7?\nAnswer:", Boxed = "Solve $x^2 = 49$. The answer is \\boxed{7}.";
    const int BeginOfText = 128000;
    static readonly int[] LlamaHello = [9906, 11, 856, 5679, 374, 19369];
    static readonly int[] LlamaSum = [3923, 374, 220, 717, 489, 220, 22, 5380, 16533, 25];
    static readonly int[] LlamaBoxed = [50, 4035, 400, 87, 61, 17, 284, 220, 2491, 13244, 578, 4320, 374, 1144, 80175, 90, 22, 7966];
    static readonly int[] LlamaChat = [128000, 128006, 882, 128007, 271, 3923, 374, 220, 717, 489, 220, 22, 30, 128009, 128006, 78191, 128007, 271];
    static readonly int[] QwenHello = [9707, 11, 847, 5562, 374, 18838];
    static readonly int[] QwenSum = [3838, 374, 220, 16, 17, 488, 220, 22, 5267, 16141, 25];

    static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Tokenization", "Fixtures", name);

    [Fact]
    public void Llama3TemplateProcessingPutsBeginOfTextBeforeRawText()
    {
        var llama = ByteLevelBpeTokenizer.Load(Fixture("llama3.1"));
        Assert.Equal([BeginOfText], llama.SequenceTemplate.Prefix);
        Assert.Empty(llama.SequenceTemplate.Suffix);
        Assert.Equal(LlamaHello, llama.Encode(Hello)); // Encode never adds special tokens
        Assert.Equal(LlamaSum, llama.Encode(Sum));
        Assert.Equal(LlamaBoxed, llama.Encode(Boxed));
        Assert.Equal([BeginOfText, .. LlamaHello], new RawFormat().Encode(llama, [ChatMessage.User(Hello)]));
        Assert.Equal([BeginOfText, .. LlamaSum], ChatFormats.Get("raw").Encode(llama, [ChatMessage.User(Sum)]));
        Assert.Equal([BeginOfText, .. LlamaBoxed], llama.SequenceTemplate.Apply(llama.Encode(Boxed)));
    }

    [Fact]
    public void Llama3ChatPromptHasExactlyOneBeginOfText()
    {
        var llama = ByteLevelBpeTokenizer.Load(Fixture("llama3.1"));
        var chat = ChatFormats.FromTokenizerConfig(llama.Config);
        Assert.Equal("llama3", chat.Name);
        int[] ids = chat.Encode(llama, [ChatMessage.User("What is 12 + 7?")]);
        Assert.Equal(LlamaChat, ids); // HF apply_chat_template(tokenize=True, add_generation_prompt=True)
        Assert.Single(ids, id => id == BeginOfText);
    }

    [Fact]
    public void QwenByteLevelPostProcessorAddsNothing()
    {
        var qwen = ByteLevelBpeTokenizer.Load(Fixture("qwen3"));
        Assert.True(qwen.SequenceTemplate.IsEmpty);
        Assert.Null(qwen.BosId);
        Assert.Equal(QwenHello, new RawFormat().Encode(qwen, [ChatMessage.User(Hello)]));
        Assert.Equal(QwenSum, qwen.Encode(Sum));
        Assert.Equal("chatml", ChatFormats.FromTokenizerConfig(qwen.Config).Name);
    }

    [Theory]
    [InlineData("""{"bos_token": "<|begin_of_text|>", "add_bos_token": false}""", new int[0], new int[0])]
    [InlineData("""{"bos_token": "<|begin_of_text|>", "eos_token": "<|end_of_text|>", "add_eos_token": true}""", new int[0], new[] { 128001 })]
    [InlineData("""{"bos_token": "<|begin_of_text|>", "tokenizer_class": "LlamaTokenizerFast"}""", new[] { BeginOfText }, new int[0])]
    [InlineData("""{"add_bos_token": true}""", new int[0], new int[0])]
    [InlineData("""{"bos_token": "<|begin_of_text|>"}""", new[] { BeginOfText }, new int[0])]
    public void TokenizerConfigFlagsOverrideThePostProcessorAsTransformers5Does(string config, int[] prefix, int[] suffix)
    {
        using var dir = new TempDir();
        File.Copy(Path.Combine(Fixture("llama3.1"), "tokenizer.json"), dir.File("tokenizer.json"));
        File.WriteAllText(dir.File("tokenizer_config.json"), config);
        var template = ByteLevelBpeTokenizer.Load(dir.Path).SequenceTemplate;
        Assert.Equal(prefix, template.Prefix);
        Assert.Equal(suffix, template.Suffix);
    }

    [Fact]
    public void ChatFormatsAddNoPrefixAndAnExplicitRawPrefixReplacesIt()
    {
        using var dir = new TempDir();
        var json = Json(PreTokenizerPatterns.Qwen2);
        json["post_processor"] = Template(("<|endoftext|>", EndOfText), null);
        var tokenizer = ByteLevelBpeTokenizer.Load(Write(dir.Path, json));
        Assert.Equal([EndOfText], tokenizer.SequenceTemplate.Prefix);
        Assert.Equal([EndOfText, 258], new RawFormat().Encode(tokenizer, [ChatMessage.User("the")]));
        Assert.Equal([ImStart, 258], new RawFormat("<|im_start|>").Encode(tokenizer, [ChatMessage.User("the")]));
        Assert.Equal(ImStart, new ChatMlFormat().Encode(tokenizer, [ChatMessage.User("the")])[0]);
    }

    [Fact]
    public void TemplateSuffixAndSequenceOfProcessorsAreRead()
    {
        using var dir = new TempDir();
        var json = Json(PreTokenizerPatterns.Qwen2);
        json["post_processor"] = new
        {
            type = "Sequence",
            processors = new object[] { new { type = "ByteLevel", add_prefix_space = true }, Template(("<|im_start|>", ImStart), ("<|im_end|>", ImEnd)) },
        };
        var template = ByteLevelBpeTokenizer.Load(Write(dir.Path, json)).SequenceTemplate;
        Assert.Equal(new SequenceTemplate([ImStart], [ImEnd]), template);
        Assert.Equal([ImStart, 258, ImEnd], template.Apply([258]));
    }

    [Theory]
    [InlineData("roberta", "'post_processor.type'")]
    [InlineData("pair-only", "'post_processor.single'")]
    [InlineData("unknown-special", "'post_processor.single[0].SpecialToken.id'")]
    [InlineData("sequence-b", "'post_processor.single[0].Sequence.id'")]
    [InlineData("id-out-of-vocab", "'post_processor'")]
    public void UnsupportedPostProcessorsNameTheField(string kind, string field)
    {
        using var dir = new TempDir();
        var json = Json(PreTokenizerPatterns.Qwen2);
        json["post_processor"] = kind switch
        {
            "roberta" => new { type = "RobertaProcessing", sep = new object[] { "</s>", 2 }, cls = new object[] { "<s>", 0 } },
            "pair-only" => new { type = "TemplateProcessing", single = Array.Empty<object>(), special_tokens = new { } },
            "unknown-special" => new
            {
                type = "TemplateProcessing",
                single = new object[] { new { SpecialToken = new { id = "<s>", type_id = 0 } }, new { Sequence = new { id = "A", type_id = 0 } } },
                special_tokens = new { },
            },
            "sequence-b" => new { type = "TemplateProcessing", single = new object[] { new { Sequence = new { id = "B", type_id = 0 } } }, special_tokens = new { } },
            _ => Template(("<x>", 9999), null),
        };
        Write(dir.Path, json);
        var e = Assert.Throws<InvalidDataException>(() => ByteLevelBpeTokenizer.Load(dir.Path));
        Assert.Contains(field, e.Message);
        Assert.Contains("tokenizer.json", e.Message);
    }

    static object Template((string Name, int Id) before, (string Name, int Id)? after)
    {
        var single = new List<object> { new { SpecialToken = new { id = before.Name, type_id = 0 } }, new { Sequence = new { id = "A", type_id = 0 } } };
        var specials = new Dictionary<string, object> { [before.Name] = new { id = before.Name, ids = new[] { before.Id }, tokens = new[] { before.Name } } };
        if (after is { } a)
        {
            single.Add(new { SpecialToken = new { id = a.Name, type_id = 0 } });
            specials[a.Name] = new { id = a.Name, ids = new[] { a.Id }, tokens = new[] { a.Name } };
        }
        return new { type = "TemplateProcessing", single, pair = Array.Empty<object>(), special_tokens = specials };
    }
}
