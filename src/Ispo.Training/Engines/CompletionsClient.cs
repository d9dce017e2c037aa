// HTTP to a set of OpenAI-compatible endpoints. Each request runs through a Polly pipeline (Microsoft.Extensions.Http.
// Resilience's HTTP retry and timeout options): transient failures (connection errors, per-attempt timeouts, 408, 429,
// 5xx) are retried with jittered exponential backoff, and a rollout request's retry goes to the next endpoint, not the
// one that just failed (the endpoint is chosen inside the pipeline's callback, per attempt). Rollout requests start at
// the endpoints in turn, at most max_concurrency at once; engine-control requests (weight sync) stay on their endpoint.
// A failure past the retries names the endpoint.
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
    static readonly ResiliencePropertyKey<int> Attempt = new("ispo.attempt");

    readonly HttpClient http;
    readonly ResiliencePipeline<HttpResponseMessage> pipeline;
    readonly SemaphoreSlim slots;
    readonly int promptsPerRequest;
    int next = -1;
    long droppedConnections;

    public IReadOnlyList<Uri> Endpoints { get; }

    /// <summary>The `model` of rollout requests; empty leaves it out. A LoRA sync points it at the adapter it loaded.</summary>
    public string ModelName { get; set; }

    /// <summary>Attempts that failed at the connection (refused, reset, closed mid-response): each may mean an engine
    /// restarted and lost the weights it was sent.</summary>
    public long DroppedConnections => Interlocked.Read(ref droppedConnections);

    /// <param name="transport">The innermost handler (tests); a SocketsHttpHandler otherwise.</param>
    public CompletionsClient(RolloutConfig config, HttpMessageHandler? transport = null)
    {
        Endpoints = config.Endpoints.Select(e => new Uri(e.TrimEnd('/'))).ToList();
        ModelName = config.ModelName;
        promptsPerRequest = config.PromptsPerRequest;
        slots = new SemaphoreSlim(config.MaxConcurrency);
        pipeline = Pipeline(config);
        http = new HttpClient(transport ?? new SocketsHttpHandler()) { Timeout = Timeout.InfiniteTimeSpan }; // the pipeline's timeouts govern
        string key = config.ApiKey.Length > 0 ? config.ApiKey : Environment.GetEnvironmentVariable("ISPO_API_KEY") ?? "";
        if (key.Length > 0) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
    }

    ResiliencePipeline<HttpResponseMessage> Pipeline(RolloutConfig config)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        if (config.MaxRetries > 0)
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = config.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(config.RetryDelayS),
                // HTTP's transient failures, and a body cut short (the connection closed mid-response)
                ShouldHandle = args => ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome) || args.Outcome.Exception is IOException),
                OnRetry = args =>
                {
                    if (args.Outcome.Exception is HttpRequestException or IOException) Interlocked.Increment(ref droppedConnections);
                    args.Context.Properties.Set(Attempt, args.AttemptNumber + 1); // the next attempt's number
                    return default;
                },
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
            string body = CompletionsProtocol.Request(chunk, sampling, sampling.Seed + k, ModelName);
            requests.Add(Task.Run(async () =>
            {
                await slots.WaitAsync().ConfigureAwait(false);
                try
                {
                    int origin = (int)((uint)Interlocked.Increment(ref next) % (uint)Endpoints.Count); // attempt k: the k-th endpoint after it
                    (Uri endpoint, string text) = await SendAsync(attempt => Endpoints[(origin + attempt) % Endpoints.Count], "/v1/completions", body)
                        .ConfigureAwait(false);
                    try
                    {
                        return CompletionsProtocol.Samples(Parse(endpoint, "/v1/completions", text), chunk.Length, sampling.SamplesPerPrompt, first);
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

    /// <summary>Posts to one endpoint (retries stay on it) and parses the JSON answer (default for an empty one).</summary>
    public JsonElement Post(Uri endpoint, string route, string json) => Parse(endpoint, route, PostText(endpoint, route, json));

    /// <summary>Posts to one endpoint (retries stay on it) and returns the answer's text (vLLM's LoRA routes answer plain text).</summary>
    public string PostText(Uri endpoint, string route, string json) =>
        Task.Run(() => SendAsync(_ => endpoint, route, json)).GetAwaiter().GetResult().Text;

    /// <summary>Gets a route of one endpoint (retries stay on it) and parses the JSON answer.</summary>
    public JsonElement Get(Uri endpoint, string route) =>
        Parse(endpoint, route, Task.Run(() => SendAsync(_ => endpoint, route, json: null)).GetAwaiter().GetResult().Text);

    /// <summary>Sends (a GET when <paramref name="json"/> is null, else a POST of it) until an attempt succeeds or the
    /// retries run out; attempt k (0 first) goes to <paramref name="endpointFor"/>(k).</summary>
    async Task<(Uri Endpoint, string Text)> SendAsync(Func<int, Uri> endpointFor, string route, string? json)
    {
        Uri last = endpointFor(0);
        ResilienceContext context = ResilienceContextPool.Shared.Get();
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(async ctx =>
            {
                Uri endpoint = endpointFor(ctx.Properties.GetValue(Attempt, 0));
                last = endpoint; // attempts run one after another
                using var content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json");
                using var request = new HttpRequestMessage(json is null ? HttpMethod.Get : HttpMethod.Post, Where(endpoint, route))
                {
                    Content = content,
                };
                HttpResponseMessage answer = await http.SendAsync(request, ctx.CancellationToken).ConfigureAwait(false);
                await answer.Content.LoadIntoBufferAsync(ctx.CancellationToken).ConfigureAwait(false); // a connection dropped mid-body fails this attempt
                return answer;
            }, context).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException or TaskCanceledException or IOException
            or Polly.Timeout.TimeoutRejectedException)
        {
            throw new RolloutEngineException($"rollout engine {Where(last, route)} unreachable or timed out after retries: {e.Message}", e);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
        using (response)
        {
            string text = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
                throw new RolloutEngineException($"rollout engine {Where(last, route)} answered {(int)response.StatusCode} {response.ReasonPhrase}: {Shorten(text)}",
                    status: (int)response.StatusCode);
            return (last, text);
        }
    }

    static string Where(Uri endpoint, string route) => $"{endpoint.ToString().TrimEnd('/')}{route}";

    static JsonElement Parse(Uri endpoint, string route, string text)
    {
        try
        {
            return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new RolloutEngineException($"rollout engine {Where(endpoint, route)} answered with bad JSON: {Shorten(text)}", e);
        }
    }

    static string Shorten(string text) => text.Length <= 500 ? text : text[..500] + "…";

    public void Dispose()
    {
        http.Dispose();
        slots.Dispose();
    }
}
