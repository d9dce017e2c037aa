// HTTP to a set of OpenAI-compatible endpoints: Microsoft.Extensions.Http.Resilience's handler retries transient
// failures (connection errors, per-attempt timeouts, 408, 429, 5xx) with jittered exponential backoff; requests go
// to the endpoints in turn, at most max_concurrency at once; a failure past the retries names the endpoint.
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Ispo.Models.Sampling;
using Ispo.Training.Configuration;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Ispo.Training.Engines;

public sealed class CompletionsClient : IDisposable
{
    readonly HttpClient http;
    readonly SemaphoreSlim slots;
    readonly string modelName;
    readonly int promptsPerRequest;
    int next = -1;

    public IReadOnlyList<Uri> Endpoints { get; }

    /// <param name="transport">The innermost handler (tests); a SocketsHttpHandler otherwise.</param>
    public CompletionsClient(RolloutConfig config, HttpMessageHandler? transport = null)
    {
        Endpoints = config.Endpoints.Select(e => new Uri(e.TrimEnd('/'))).ToList();
        modelName = config.ModelName;
        promptsPerRequest = config.PromptsPerRequest;
        slots = new SemaphoreSlim(config.MaxConcurrency);
        var resilience = new ResilienceHandler(Pipeline(config)) { InnerHandler = transport ?? new SocketsHttpHandler() };
        http = new HttpClient(resilience) { Timeout = Timeout.InfiniteTimeSpan }; // the pipeline's timeouts govern
        string key = config.ApiKey.Length > 0 ? config.ApiKey : Environment.GetEnvironmentVariable("ISPO_API_KEY") ?? "";
        if (key.Length > 0) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    static ResiliencePipeline<HttpResponseMessage> Pipeline(RolloutConfig config)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (config.MaxRetries > 0)
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = config.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(config.RetryDelayS),
            });
        builder.AddTimeout(new HttpTimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(config.RequestTimeoutS) }); // per attempt
        return builder.Build();
    }

    /// <summary>G samples of each prompt: the prompts split into requests of prompts_per_request (all in one by
    /// default, which reproduces the local sampler under the same seed), request k seeded with seed + k.</summary>
    public IReadOnlyList<Sample> Sample(int[][] prompts, SamplingOptions sampling)
    {
        int size = promptsPerRequest > 0 ? promptsPerRequest : Math.Max(1, prompts.Length);
        var requests = new List<Task<List<Sample>>>();
        for (int start = 0, k = 0; start < prompts.Length; start += size, k++)
        {
            int first = start;
            int[][] chunk = prompts[start..Math.Min(prompts.Length, start + size)];
            string body = CompletionsProtocol.Request(chunk, sampling, sampling.Seed + k, modelName);
            requests.Add(Task.Run(async () =>
            {
                await slots.WaitAsync().ConfigureAwait(false);
                try
                {
                    Uri endpoint = NextEndpoint();
                    JsonElement answer = await PostAsync(endpoint, "/v1/completions", body).ConfigureAwait(false);
                    try
                    {
                        return CompletionsProtocol.Samples(answer, chunk.Length, sampling.SamplesPerPrompt, first);
                    }
                    catch (Exception e) when (e is FormatException or InvalidOperationException)
                    {
                        throw new RolloutEngineException($"{endpoint}v1/completions answered what the trainer cannot use: {e.Message}", e);
                    }
                }
                finally
                {
                    slots.Release();
                }
            }));
        }
        return Task.WhenAll(requests).GetAwaiter().GetResult().SelectMany(s => s).ToList();
    }

    /// <summary>Runs <paramref name="action"/> on each endpoint in order (weight sync: all must take it).</summary>
    public void OnEveryEndpoint(Action<Uri> action)
    {
        foreach (Uri endpoint in Endpoints) action(endpoint);
    }

    public JsonElement Post(Uri endpoint, string route, string json) => Task.Run(() => PostAsync(endpoint, route, json)).GetAwaiter().GetResult();

    async Task<JsonElement> PostAsync(Uri endpoint, string route, string json)
    {
        string where = $"{endpoint.ToString().TrimEnd('/')}{route}";
        HttpResponseMessage response;
        try
        {
            using var content = new StringContent(json, Encoding.UTF8, "application/json");
            response = await http.PostAsync(where, content).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or TaskCanceledException or Polly.Timeout.TimeoutRejectedException)
        {
            throw new RolloutEngineException($"rollout engine {where} unreachable or timed out after retries: {e.Message}", e);
        }
        using (response)
        {
            string text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new RolloutEngineException($"rollout engine {where} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(text)}");
            try
            {
                return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
            }
            catch (JsonException e)
            {
                throw new RolloutEngineException($"rollout engine {where} answered with bad JSON: {Shorten(text)}", e);
            }
        }
    }

    Uri NextEndpoint() => Endpoints[(int)((uint)Interlocked.Increment(ref next) % (uint)Endpoints.Count)];

    static string Shorten(string text) => text.Length <= 500 ? text : text[..500] + "…";

    public void Dispose()
    {
        http.Dispose();
        slots.Dispose();
    }
}
