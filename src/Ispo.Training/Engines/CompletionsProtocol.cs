// The wire format of OpenAI's legacy /v1/completions as vLLM, SGLang and `ispo serve` speak it for rollouts:
// token-id prompts, n samples each, vLLM's return_token_ids (the sampled ids, not re-tokenized text) and
// logprobs: 1 (the chosen token's log-prob). Choice p·n + j is sample j of prompt p.
using System.Text.Json;
using System.Text.Json.Nodes;
using Ispo.Models.Sampling;

namespace Ispo.Training.Engines;

public static class CompletionsProtocol
{
    public static string Request(int[][] prompts, SamplingOptions sampling, long seed, string modelName)
    {
        var body = new JsonObject
        {
            ["prompt"] = new JsonArray(prompts.Select(p => (JsonNode)new JsonArray(p.Select(id => (JsonNode)id).ToArray())).ToArray()),
            ["n"] = sampling.SamplesPerPrompt,
            ["max_tokens"] = sampling.MaxNewTokens,
            ["temperature"] = sampling.IsGreedy ? 0 : sampling.Temperature,
            ["top_p"] = sampling.TopP,
            ["seed"] = seed,
            ["logprobs"] = 1,
            ["return_token_ids"] = true,
        };
        if (modelName.Length > 0) body["model"] = modelName;
        if (sampling.TopK > 0) body["top_k"] = sampling.TopK; // off is 0 here, -1 in older vLLM: leave it out
        if (sampling.StopStrings.Count > 0) body["stop"] = new JsonArray(sampling.StopStrings.Select(s => (JsonNode)s!).ToArray());
        return body.ToJsonString();
    }

    /// <summary>The samples of a response to <see cref="Request"/> over <paramref name="promptCount"/> prompts,
    /// numbered from <paramref name="firstPrompt"/>; throws naming what is missing.</summary>
    public static List<Sample> Samples(JsonElement response, int promptCount, int n, int firstPrompt)
    {
        if (!response.TryGetProperty("choices", out JsonElement choices) || choices.ValueKind != JsonValueKind.Array)
            throw new FormatException("the response has no choices");
        if (choices.GetArrayLength() != promptCount * n)
            throw new FormatException($"expected {promptCount} prompts × n={n} choices, got {choices.GetArrayLength()}");
        var samples = new Sample[promptCount * n];
        int position = 0;
        foreach (JsonElement choice in choices.EnumerateArray())
        {
            int index = choice.TryGetProperty("index", out JsonElement i) ? i.GetInt32() : position;
            position++;
            if (index < 0 || index >= samples.Length || samples[index] is not null) throw new FormatException($"bad or repeated choice index {index}");
            if (!choice.TryGetProperty("token_ids", out JsonElement ids) || ids.ValueKind != JsonValueKind.Array)
                throw new FormatException("a choice has no token_ids: the engine must honour return_token_ids (vLLM ≥ 0.10.2, SGLang, ispo serve)");
            int[] tokens = ids.EnumerateArray().Select(e => e.GetInt32()).ToArray();
            float[] logProbs = LogProbs(choice, tokens.Length);
            samples[index] = new Sample(firstPrompt + index / n, tokens, logProbs, new float[tokens.Length], Finish(choice));
        }
        return [.. samples];
    }

    static float[] LogProbs(JsonElement choice, int count)
    {
        if (!choice.TryGetProperty("logprobs", out JsonElement lp) || lp.ValueKind != JsonValueKind.Object
            || !lp.TryGetProperty("token_logprobs", out JsonElement values) || values.ValueKind != JsonValueKind.Array)
            throw new FormatException("a choice has no logprobs.token_logprobs");
        float[] result = values.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.Number ? v.GetSingle() : float.NaN).ToArray();
        if (result.Length != count) throw new FormatException($"{result.Length} log-probs for {count} tokens");
        return result;
    }

    static FinishReason Finish(JsonElement choice) =>
        choice.TryGetProperty("finish_reason", out JsonElement f) && f.ValueKind == JsonValueKind.String && f.GetString() == "length"
            ? FinishReason.Length
            : choice.TryGetProperty("stop_reason", out JsonElement s) && s.ValueKind == JsonValueKind.String ? FinishReason.Stop : FinishReason.Eos;
}
