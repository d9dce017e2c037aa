// POST /v1/completions: the prompt as text, a list of texts, token ids, or a list of token-id lists (as OpenAI and
// vLLM take it), and the completions-only fields.
using System.Text.Json;
using Ispo.Models.Chat;
using Ispo.Models.Tokenization;

namespace Ispo.Serve.Api;

internal sealed record CompletionBody : SamplingFields
{
    public JsonElement Prompt { get; init; }
    /// <summary>OpenAI: the number of most likely tokens to list besides the chosen one; the sampler reports only the
    /// chosen token's log-prob, so 0 and 1 are served (both list the chosen token) and more is refused.</summary>
    public int? Logprobs { get; init; }
    public bool? Echo { get; init; }
    public int? BestOf { get; init; }
    public string? Suffix { get; init; }

    public const int MaxPrompts = 1024;

    /// <summary>Token ids of each prompt; text is encoded as `ispo sample` and HF's tokenizer(text) do (the
    /// tokenizer's BOS first where it adds one).</summary>
    public IReadOnlyList<int[]> PromptIds(ITokenizer tokenizer)
    {
        if (Echo == true) throw ApiException.Unsupported("echo", "echoing the prompt is not supported");
        if (BestOf is { } b && b != (N ?? 1)) throw ApiException.Unsupported("best_of", "best_of other than n is not supported");
        if (!string.IsNullOrEmpty(Suffix)) throw ApiException.Unsupported("suffix", "suffixes are not supported");
        if (Logprobs is { } l && l is < 0 or > 1)
            throw ApiException.Unsupported("logprobs", "only the chosen token's log-prob is reported: ask for 0 or 1");
        List<int[]> prompts = Prompt.ValueKind switch
        {
            JsonValueKind.String => [Text(tokenizer, Prompt.GetString()!)],
            JsonValueKind.Array when Prompt.GetArrayLength() == 0 => throw ApiException.BadField("prompt", "must not be empty"),
            JsonValueKind.Array => Prompt[0].ValueKind switch
            {
                JsonValueKind.Number => [Ids(Prompt, "prompt", tokenizer.VocabSize)],
                JsonValueKind.String => Prompt.EnumerateArray().Select((e, i) => e.ValueKind == JsonValueKind.String
                    ? Text(tokenizer, e.GetString()!) : throw Mixed()).ToList(),
                JsonValueKind.Array => Prompt.EnumerateArray().Select((e, i) => e.ValueKind == JsonValueKind.Array
                    ? Ids(e, $"prompt[{i}]", tokenizer.VocabSize) : throw Mixed()).ToList(),
                _ => throw Shape(),
            },
            JsonValueKind.Undefined or JsonValueKind.Null => throw ApiException.BadField("prompt", "is required"),
            _ => throw Shape(),
        };
        if (prompts.Count > MaxPrompts) throw ApiException.BadField("prompt", $"at most {MaxPrompts} prompts per request");
        for (int i = 0; i < prompts.Count; i++)
            if (prompts[i].Length == 0) throw ApiException.BadField(prompts.Count == 1 ? "prompt" : $"prompt[{i}]", "encodes to no tokens");
        return prompts;

        static ApiException Mixed() => ApiException.BadField("prompt", "a list of prompts must be all strings or all token-id lists");
        static ApiException Shape() => ApiException.BadField("prompt", "must be a string, a list of strings, a list of token ids, or a list of token-id lists");
    }

    static int[] Text(ITokenizer tokenizer, string text) => new RawFormat().Encode(tokenizer, [ChatMessage.User(text)]);

    static int[] Ids(JsonElement array, string field, int vocab)
    {
        var ids = new int[array.GetArrayLength()];
        int i = 0;
        foreach (JsonElement e in array.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt32(out int id) || id < 0 || id >= vocab)
                throw ApiException.BadField($"{field}[{i}]", $"must be a token id in [0, {vocab})");
            ids[i++] = id;
        }
        return ids;
    }
}
