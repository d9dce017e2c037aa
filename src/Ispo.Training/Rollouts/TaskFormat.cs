// How a task's text becomes tokens for one policy: the prompt template wraps the problem, the chat format (or raw
// text for base models) renders it with the problem encoded as untrusted plain text, and SFT targets end in EOS.
using Ispo.MathVerify.Rewards;
using Ispo.Models.Chat;
using Ispo.Models.Pretrained;
using Ispo.Models.Tokenization;
using Ispo.Training.Prompts;

namespace Ispo.Training.Rollouts;

public sealed class TaskFormat(ITokenizer tokenizer, PromptTemplate template, IChatFormat chat, IReadOnlyList<int> eosTokenIds)
{
    public PromptTemplate Template { get; } = template;
    public IChatFormat Chat { get; } = chat;

    /// <summary><paramref name="chatFormat"/>: auto (from tokenizer_config.json), raw, chatml, qwen or llama3.</summary>
    public static TaskFormat For(LoadedModel policy, string templateName, string chatFormat) =>
        new(policy.Tokenizer, PromptTemplates.Get(templateName), ChatFor(policy.Tokenizer, chatFormat), policy.EosTokenIds);

    /// <summary>The chat format named by <paramref name="chatFormat"/> (see <see cref="For"/>).</summary>
    public static IChatFormat ChatFor(ITokenizer tokenizer, string chatFormat) =>
        chatFormat == "auto" ? AutoChat(tokenizer) : ChatFormats.Get(chatFormat);

    /// <summary>The tokenizer_config's chat format for a Hugging Face tokenizer; raw for anything else.</summary>
    public static IChatFormat AutoChat(ITokenizer tokenizer) =>
        tokenizer is ByteLevelBpeTokenizer bpe ? ChatFormats.FromTokenizerConfig(bpe.Config) : RawFormat;

    public int[] EncodePrompt(string problem) => Encode(Template.Render(problem));

    /// <summary>Prompt token ids: the user text is encoded as untrusted content inside the format's template.</summary>
    public int[] Encode(RenderedPrompt rendered)
    {
        IChatFormat format = rendered.UseChat ? Chat : RawFormat;
        return format.Encode(tokenizer, [ChatMessage.User(rendered.UserText)]);
    }

    /// <summary>A supervised target: the solution as plain text, then the end-of-sequence token.</summary>
    public int[] EncodeTarget(string solution) => [.. tokenizer.Encode(solution), eosTokenIds[0]];

    public IRolloutEnvironment Environment(MathReward reward) => new MathEnvironment(tokenizer, EncodePrompt, reward);

    static readonly IChatFormat RawFormat = new RawFormat();
}
