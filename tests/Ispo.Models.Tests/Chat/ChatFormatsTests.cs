using Ispo.Models.Chat;
using Ispo.Models.Tests.Checkpoints;
using Ispo.Models.Tests.Tokenization;
using Ispo.Models.Tokenization;

namespace Ispo.Models.Tests.Chat;

public class ChatFormatsTests
{
    static readonly ChatMessage[] Conversation = [ChatMessage.User("What is 1+1?"), ChatMessage.Assistant("2"), ChatMessage.User(" And 2+2? ")];

    // Excerpts of Qwen2.5-Instruct's and Qwen2.5-Math-Instruct's chat templates as stored in tokenizer_config.json
    // (so "\n" is a backslash and an n).
    const string QwenTemplate =
        @"{%- if messages[0]['role'] == 'system' %}{{- '<|im_start|>system\n' + messages[0]['content'] + '<|im_end|>\n' }}" +
        @"{%- else %}{{- '<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n' }}{%- endif %}";
    const string QwenMathTemplate =
        @"{{- '<|im_start|>system\nPlease reason step by step, and put your final answer within \\boxed{}.<|im_end|>\n' }}";
    const string Llama3Template =
        @"{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + '<|eot_id|>' %}";

    [Fact]
    public void ChatMlRendersQwenLayoutWithDefaultSystemPrompt()
    {
        var format = ChatFormats.Get("qwen");
        Assert.Equal(
            "<|im_start|>system\nYou are Qwen, created by Alibaba Cloud. You are a helpful assistant.<|im_end|>\n" +
            "<|im_start|>user\nWhat is 1+1?<|im_end|>\n<|im_start|>assistant\n2<|im_end|>\n<|im_start|>user\n And 2+2? <|im_end|>\n" +
            "<|im_start|>assistant\n",
            format.Render(Conversation));
    }

    [Fact]
    public void ChatMlKeepsAGivenSystemPromptAndCanOmitTheGenerationPrompt()
    {
        var format = ChatFormats.Get("qwen");
        Assert.Equal("<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n",
            format.Render([ChatMessage.System("Be brief."), ChatMessage.User("Hi")], addGenerationPrompt: false));
        Assert.Equal("<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n", ChatFormats.Get("chatml").Render([ChatMessage.User("Hi")]));
    }

    [Fact]
    public void Llama3RendersHeadersAndTrimsContent()
    {
        Assert.Equal(
            "<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhat is 1+1?<|eot_id|>" +
            "<|start_header_id|>assistant<|end_header_id|>\n\n2<|eot_id|>" +
            "<|start_header_id|>user<|end_header_id|>\n\nAnd 2+2?<|eot_id|>" +
            "<|start_header_id|>assistant<|end_header_id|>\n\n",
            ChatFormats.Get("llama3").Render(Conversation));
        Assert.Equal(["<|eot_id|>"], ChatFormats.Get("llama3").StopStrings);
    }

    [Fact]
    public void RawJoinsContents()
    {
        Assert.Equal("What is 1+1?\n\n2\n\n And 2+2? ", ChatFormats.Get("raw").Render(Conversation));
        Assert.Equal("Q", new RawFormat("<s>").Render([ChatMessage.User("Q")])[3..]);
    }

    [Fact]
    public void UnknownFormatListsTheKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => ChatFormats.Get("vicuna"));
        Assert.Contains("chatml, qwen, llama3, raw", e.Message);
    }

    [Fact]
    public void DetectsFormatAndDefaultSystemPromptFromTemplates()
    {
        Assert.Equal("chatml", ChatFormats.Detect(QwenTemplate));
        Assert.Equal("llama3", ChatFormats.Detect(Llama3Template));
        Assert.Equal("raw", ChatFormats.Detect(null));
        Assert.Equal(ChatMlFormat.QwenDefaultSystemPrompt, ChatFormats.DefaultSystemPrompt(QwenTemplate));
        Assert.Equal("Please reason step by step, and put your final answer within \\boxed{}.", ChatFormats.DefaultSystemPrompt(QwenMathTemplate));
        Assert.Null(ChatFormats.DefaultSystemPrompt(CharTokenizer.ChatMlTemplate));
        var format = Assert.IsType<ChatMlFormat>(ChatFormats.FromTokenizerConfig(new TokenizerConfig(ChatTemplate: QwenMathTemplate)));
        Assert.StartsWith("Please reason", format.DefaultSystemPrompt);
    }

    [Fact]
    public void ContentIsEncodedAsPlainTextAndTemplatesWithSpecialTokens()
    {
        using var dir = new TempDir();
        var tokenizer = CharTokenizer.Save(dir.Path);
        var format = ChatFormats.Get("chatml");
        int[] ids = format.Encode(tokenizer, [ChatMessage.User("<|im_end|>")]);
        Assert.Equal(2, ids.Count(id => id == tokenizer.TokenToId("<|im_start|>")));
        Assert.Single(ids, id => id == tokenizer.TokenToId("<|im_end|>"));
        Assert.Equal(format.Render([ChatMessage.User("<|im_end|>")]), tokenizer.Decode(ids));
    }

    [Fact]
    public void TemplateNewlinesMergeWithContentAsInOneString()
    {
        // HF renders "<|im_start|>user\n\nHi<|im_end|>..." and encodes it whole: the template's "\n" and the content's
        // leading "\n" are one "\n\n" token (Qwen's 271), not two "\n" (198).
        var qwen = ByteLevelBpeTokenizer.Load(Path.Combine(AppContext.BaseDirectory, "Tokenization", "Fixtures", "qwen3"));
        int[] ids = ChatFormats.Get("chatml").Encode(qwen, [ChatMessage.User("\nHi")]);
        Assert.Equal([151644, 872, 271, .. qwen.Encode("Hi"), 151645, 198, 151644, 77091, 198], ids);
    }

    [Fact]
    public void SegmentEncodingEqualsWholeStringEncodingForOrdinaryContent()
    {
        using var dir = new TempDir();
        var tokenizer = TestTokenizers.Qwen2Style(dir.Path);
        var format = ChatFormats.Get("qwen");
        var messages = new[] { ChatMessage.User("the the 12\n\n café"), ChatMessage.Assistant(" the") };
        Assert.Equal(tokenizer.EncodeWithSpecialTokens(format.Render(messages)), format.Encode(tokenizer, messages));
    }
}
