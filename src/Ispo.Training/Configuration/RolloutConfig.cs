// How rollouts are sampled: group size G, the decoding knobs, and which engine samples them (the in-process
// sampler, or OpenAI-compatible servers such as vLLM, SGLang or `ispo serve`, kept in step by weight sync).
namespace Ispo.Training.Configuration;

public enum RolloutEngineKind { Local, Openai }

/// <summary>How a remote engine gets the policy's new weights after each update: <c>disk</c> reloads the full weights
/// (SGLang's /update_weights_from_disk), <c>lora</c> loads the LoRA adapter as a new model name (vLLM's
/// /v1/load_lora_adapter).</summary>
public enum WeightSyncKind { None, Disk, Lora }

public sealed record RolloutConfig : IValidatable
{
    /// <summary>G: rollouts per prompt.</summary>
    public int GroupSize { get; init; } = 8;
    public double Temperature { get; init; } = 1.0;
    public double TopP { get; init; } = 1.0;
    /// <summary>0 disables top-k filtering.</summary>
    public int TopK { get; init; }
    public int MaxNewTokens { get; init; } = 1024;
    public IReadOnlyList<string> StopStrings { get; init; } = [];
    /// <summary>Bounds the local sampler's KV cache (e.g. "8GiB"): a round's prompts are sampled in chunks of whole
    /// groups whose cache, with the copy compaction makes, fits (RolloutChunk). null: all prompts at once. Each chunk
    /// after the first draws from its own seed, so chunked samples are not the unchunked ones (see README).</summary>
    public string? KvCacheBudget { get; init; }

    public RolloutEngineKind Engine { get; init; } = RolloutEngineKind.Local;
    /// <summary>Base URLs of the OpenAI-compatible servers (e.g. http://10.0.0.5:8000), used in turn.</summary>
    public IReadOnlyList<string> Endpoints { get; init; } = [];
    /// <summary>Bearer key for the endpoints; empty: the ISPO_API_KEY environment variable, if set.</summary>
    public string ApiKey { get; init; } = "";
    /// <summary>The `model` field of each request; empty leaves it out (the server's only model).</summary>
    public string ModelName { get; init; } = "";
    /// <summary>Prompts per completions request; 0 sends all of a round's prompts in one request, which is what
    /// makes a seeded engine reproduce the local sampler exactly.</summary>
    public int PromptsPerRequest { get; init; }
    /// <summary>Requests in flight at once, over all endpoints.</summary>
    public int MaxConcurrency { get; init; } = 8;
    /// <summary>One attempt's limit: a whole generation, so generous.</summary>
    public double RequestTimeoutS { get; init; } = 600;
    /// <summary>Retries of a transient failure (connection error, timeout, 408, 429, 5xx), with jittered exponential backoff.</summary>
    public int MaxRetries { get; init; } = 3;
    public double RetryDelayS { get; init; } = 1;
    public WeightSyncKind WeightSync { get; init; } = WeightSyncKind.None;
    /// <summary>C of truncated importance sampling on the engine-vs-trainer gap, min(π_trainer / π_engine, C) per
    /// token (verl's tis_imp_ratio_cap, 2 in its examples); 0 turns it off. Only a remote engine has a gap.</summary>
    public double IsCap { get; init; }

    public IEnumerable<ConfigError> Validate() => Check.All(
        Check.AtLeast("group_size", GroupSize, 1),
        Check.AtLeast("temperature", Temperature, 0),
        Check.That(TopP is > 0 and <= 1, "top_p", $"expected a value in (0, 1], got {TopP}"),
        Check.AtLeast("top_k", TopK, 0),
        Check.AtLeast("max_new_tokens", MaxNewTokens, 1),
        Check.That(KvCacheBudget is null || Planning.ByteSize.TryParse(KvCacheBudget, out _), "kv_cache_budget",
            $"expected a memory size (e.g. 8GiB, 512MiB or a number of bytes), got '{KvCacheBudget}'"),
        Check.That(Engine != RolloutEngineKind.Openai || Endpoints.Count > 0, "endpoints", "engine: openai needs at least one endpoint URL"),
        Check.That(Endpoints.All(IsHttpUrl), "endpoints", $"expected absolute http(s) URLs, got [{string.Join(", ", Endpoints)}]"),
        Check.That(WeightSync == WeightSyncKind.None || Engine == RolloutEngineKind.Openai, "weight_sync",
            "weight sync is for remote engines: the local sampler reads the policy itself"),
        Check.AtLeast("prompts_per_request", PromptsPerRequest, 0),
        Check.AtLeast("max_concurrency", MaxConcurrency, 1),
        Check.Positive("request_timeout_s", RequestTimeoutS),
        Check.AtLeast("max_retries", MaxRetries, 0),
        Check.AtLeast("retry_delay_s", RetryDelayS, 0),
        Check.That(IsCap == 0 || IsCap >= 1, "is_cap", $"expected 0 (off) or a cap >= 1, got {IsCap}"));

    static bool IsHttpUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out Uri? u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);
}
