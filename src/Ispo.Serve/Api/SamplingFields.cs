// The request fields completions and chat share (OpenAI's, with vLLM's top_k and return_token_ids), checked and
// turned into the sampler's options. Fields the sampler cannot honour are refused, never silently ignored.
using System.Text.Json;
using Ispo.Models.Sampling;

namespace Ispo.Serve.Api;

internal abstract record SamplingFields
{
    public string? Model { get; init; }
    public int? N { get; init; }
    public int? MaxTokens { get; init; }
    public int? MaxCompletionTokens { get; init; }
    public double? Temperature { get; init; }
    public double? TopP { get; init; }
    public int? TopK { get; init; }
    public long? Seed { get; init; }
    public JsonElement Stop { get; init; }
    public bool? ReturnTokenIds { get; init; }
    public bool? Stream { get; init; }
    public double? PresencePenalty { get; init; }
    public double? FrequencyPenalty { get; init; }
    public double? RepetitionPenalty { get; init; }
    public JsonElement LogitBias { get; init; }

    public const int MaxStopStrings = 16, MaxStopLength = 256;

    /// <summary>The sampler's options (seed, EOS ids and decoder are the worker's) for prompts of the given lengths;
    /// <paramref name="defaultMaxTokens"/> applies when the request names none.</summary>
    public SamplingOptions ToOptions(IReadOnlyList<int> promptLengths, int maxPositions, int maxRows, int defaultMaxTokens,
        IReadOnlyList<string> extraStops)
    {
        RefuseUnsupported();
        int n = N ?? 1;
        if (n < 1) throw ApiException.BadField("n", "must be >= 1");
        if ((long)n * promptLengths.Count > maxRows)
            throw ApiException.BadField("n", $"{promptLengths.Count} prompt(s) × n = {n} rows exceed the server's batch of {maxRows} rows");
        int maxTokens = MaxCompletionTokens ?? MaxTokens ?? defaultMaxTokens;
        string maxField = MaxCompletionTokens is null ? "max_tokens" : "max_completion_tokens";
        if (maxTokens < 1) throw ApiException.BadField(maxField, "must be >= 1");
        int longest = promptLengths.Max();
        if ((long)longest + maxTokens > maxPositions)
            throw ApiException.BadField(maxField, $"this model's maximum context length is {maxPositions} tokens, but {longest + (long)maxTokens} were "
                + $"requested ({longest} in the prompt, {maxTokens} for the completion)");
        double temperature = Temperature ?? 1.0;
        if (!double.IsFinite(temperature) || temperature < 0) throw ApiException.BadField("temperature", "must be a finite number >= 0");
        double topP = TopP ?? 1.0;
        if (!(topP > 0 && topP <= 1)) throw ApiException.BadField("top_p", "must be in (0, 1]");
        int topK = TopK ?? 0;
        if (topK < -1) throw ApiException.BadField("top_k", "must be >= 1, or 0 or -1 for off");
        return new SamplingOptions
        {
            SamplesPerPrompt = n, MaxNewTokens = maxTokens, Temperature = temperature, TopP = topP, TopK = Math.Max(topK, 0),
            // As the trainer samples (RolloutSampling): log-probs of the distribution drawn from, before top-k/top-p.
            LogProbTemperature = temperature > 0 ? temperature : 1.0,
            StopStrings = [.. StopStrings(), .. extraStops],
        };
    }

    IReadOnlyList<string> StopStrings()
    {
        string[] stops = Stop.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => [],
            JsonValueKind.String => [Stop.GetString()!],
            JsonValueKind.Array when Stop.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
                Stop.EnumerateArray().Select(e => e.GetString()!).ToArray(),
            _ => throw ApiException.BadField("stop", "must be a string or an array of strings"),
        };
        if (stops.Length > MaxStopStrings) throw ApiException.BadField("stop", $"at most {MaxStopStrings} strings");
        if (stops.Any(s => s.Length is 0 or > MaxStopLength)) throw ApiException.BadField("stop", $"each string must have 1 to {MaxStopLength} characters");
        return stops;
    }

    void RefuseUnsupported()
    {
        if (Stream == true) throw ApiException.Unsupported("stream", "streaming is not supported; ask for the whole response");
        if (PresencePenalty is { } p && p != 0) throw ApiException.Unsupported("presence_penalty", "penalties are not supported");
        if (FrequencyPenalty is { } f && f != 0) throw ApiException.Unsupported("frequency_penalty", "penalties are not supported");
        if (RepetitionPenalty is { } r && r != 1) throw ApiException.Unsupported("repetition_penalty", "penalties are not supported");
        if (LogitBias.ValueKind == JsonValueKind.Object && LogitBias.EnumerateObject().Any())
            throw ApiException.Unsupported("logit_bias", "logit biases are not supported");
    }
}
