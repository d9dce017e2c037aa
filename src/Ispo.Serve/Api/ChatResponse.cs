// The /v1/chat/completions answer, as OpenAI's chat.completion object (logprobs.content per token) with vLLM's
// extensions: stop_reason, and prompt_token_ids (response) and token_ids (choice) when return_token_ids is asked.
using System.Text;
using System.Text.Json.Serialization;
using Ispo.Models.Sampling;
using Ispo.Models.Tokenization;
using Ispo.Serve.Engine;

namespace Ispo.Serve.Api;

internal sealed record ChatResponse(string Id, string Object, long Created, string Model, IReadOnlyList<ChatChoice> Choices, Usage Usage)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int[]? PromptTokenIds { get; init; }

    public static ChatResponse Build(string model, int[] prompt, JobResult result, IReadOnlyList<string> stops, bool withLogProbs,
        int topLogProbs, bool withTokenIds)
    {
        ITokenizer tokenizer = result.Tokenizer;
        var choices = result.Samples.Select((s, i) =>
        {
            (string text, string? stopReason) = CompletionText.Of(tokenizer, s, stops);
            return new ChatChoice(i, new ChatReply("assistant", text), withLogProbs ? LogProbs(tokenizer, s, topLogProbs) : null,
                CompletionText.FinishReasonOf(s), stopReason) { TokenIds = withTokenIds ? s.TokenIds : null };
        }).ToList();
        return new ChatResponse("chatcmpl-" + Guid.NewGuid().ToString("N"), "chat.completion", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), model,
            choices, Usage.Of([prompt], result.Samples)) { PromptTokenIds = withTokenIds ? prompt : null };
    }

    static ChatLogProbs LogProbs(ITokenizer tokenizer, Sample s, int top)
    {
        string[] tokens = CompletionText.TokenStrings(tokenizer, s);
        return new ChatLogProbs(tokens.Select((t, i) =>
        {
            int[] bytes = Encoding.UTF8.GetBytes(t).Select(b => (int)b).ToArray();
            return new ChatTokenLogProb(t, s.LogProbs[i], bytes, top > 0 ? [new ChatTopLogProb(t, s.LogProbs[i], bytes)] : []);
        }).ToList());
    }
}

internal sealed record ChatChoice(int Index, ChatReply Message, ChatLogProbs? Logprobs, string FinishReason, string? StopReason)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int[]? TokenIds { get; init; }
}

internal sealed record ChatReply(string Role, string Content);

internal sealed record ChatLogProbs(IReadOnlyList<ChatTokenLogProb> Content);

internal sealed record ChatTokenLogProb(string Token, float Logprob, int[] Bytes, IReadOnlyList<ChatTopLogProb> TopLogprobs);

internal sealed record ChatTopLogProb(string Token, float Logprob, int[] Bytes);
