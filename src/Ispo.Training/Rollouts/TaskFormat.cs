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
    public static TaskFormat For(PolicyModel policy, string templateName, string chatFormat)
    {
        IChatFormat chat = chatFormat == "auto" && policy.Tokenizer is ByteLevelBpeTokenizer { Config: { } config }
            ? ChatFormats.FromTokenizerConfig(config)
            : ChatFormats.Get(chatFormat == "auto" ? "raw" : chatFormat);
        return new TaskFormat(policy.Tokenizer, PromptTemplates.Get(templateName), chat, policy.EosTokenIds);
    }

    public int[] EncodePrompt(string problem)
    {
        RenderedPrompt rendered = Template.Render(problem);
        IChatFormat format = rendered.UseChat ? Chat : RawFormat;
        return format.Encode(tokenizer, [ChatMessage.User(rendered.UserText)]);
    }

    /// <summary>A supervised target: the solution as plain text, then the end-of-sequence token.</summary>
    public int[] EncodeTarget(string solution) => [.. tokenizer.Encode(solution), eosTokenIds[0]];

    public IRolloutEnvironment Environment(MathReward reward) => new MathEnvironment(tokenizer, EncodePrompt, reward);

    static readonly IChatFormat RawFormat = new RawFormat();
}
