// The /v1/completions answer, as OpenAI's text_completion object with vLLM's extensions (stop_reason, and
// prompt_token_ids and token_ids when return_token_ids is asked). Choice p·n+j is the j-th sample of prompt p.
using System.Text.Json.Serialization;
using Ispo.Models.Tokenization;
using Ispo.Serve.Engine;
using Ispo.Models.Sampling;

namespace Ispo.Serve.Api;

internal sealed record CompletionResponse(string Id, string Object, long Created, string Model, IReadOnlyList<CompletionChoice> Choices, Usage Usage)
{
    public static CompletionResponse Build(string model, IReadOnlyList<int[]> prompts, JobResult result, IReadOnlyList<string> stops,
        bool withLogProbs, bool withTokenIds)
    {
        ITokenizer tokenizer = result.Tokenizer;
        var choices = result.Samples.Select((s, i) =>
        {
            (string text, string? stopReason) = CompletionText.Of(tokenizer, s, stops);
            return new CompletionChoice(i, text, withLogProbs ? LogProbs(tokenizer, s) : null, CompletionText.FinishReasonOf(s), stopReason)
            {
                PromptTokenIds = withTokenIds ? prompts[s.PromptIndex] : null,
                TokenIds = withTokenIds ? s.TokenIds : null,
            };
        }).ToList();
        return new CompletionResponse("cmpl-" + Guid.NewGuid().ToString("N"), "text_completion", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), model,
            choices, Usage.Of(prompts, result.Samples));
    }

    static CompletionLogProbs LogProbs(ITokenizer tokenizer, Sample s)
    {
        string[] tokens = CompletionText.TokenStrings(tokenizer, s);
        return new CompletionLogProbs(tokens, s.LogProbs, tokens.Select((t, i) => new Dictionary<string, float> { [t] = s.LogProbs[i] }).ToList(),
            CompletionText.TextOffsets(tokenizer, s));
    }
}

internal sealed record CompletionChoice(int Index, string Text, CompletionLogProbs? Logprobs, string FinishReason, string? StopReason)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int[]? PromptTokenIds { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int[]? TokenIds { get; init; }
}

/// <summary>OpenAI's legacy log-prob object; top_logprobs lists the chosen token only (see CompletionBody.Logprobs).</summary>
internal sealed record CompletionLogProbs(IReadOnlyList<string> Tokens, IReadOnlyList<float> TokenLogprobs,
    IReadOnlyList<Dictionary<string, float>> TopLogprobs, IReadOnlyList<int> TextOffset);

/// <summary>Each prompt's tokens counted once (not once per sample), as vLLM counts them.</summary>
internal sealed record Usage(int PromptTokens, int CompletionTokens, int TotalTokens)
{
    public static Usage Of(IReadOnlyList<int[]> prompts, IReadOnlyList<Sample> samples)
    {
        int prompt = prompts.Sum(p => p.Length), completion = samples.Sum(s => s.TokenIds.Length);
        return new Usage(prompt, completion, prompt + completion);
    }
}
