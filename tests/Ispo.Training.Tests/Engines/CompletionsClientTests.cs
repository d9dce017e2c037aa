using System.Net;
using System.Net.Sockets;
using System.Text;
using Ispo.Models.Sampling;
using Ispo.Training.Configuration;
using Ispo.Training.Engines;

namespace Ispo.Training.Tests.Engines;

public class CompletionsClientTests
{
    static readonly SamplingOptions TwoEach = new() { SamplesPerPrompt = 2, MaxNewTokens = 4, Seed = 7 };

    static RolloutConfig Config(params string[] endpoints) => new()
    {
        Engine = RolloutEngineKind.Openai, Endpoints = endpoints, MaxRetries = 2, RetryDelayS = 0.01, RequestTimeoutS = 5,
    };

    /// <summary>A transport answering from <paramref name="answer"/> (call number, request body), recording requests.</summary>
    sealed class StubTransport(Func<int, HttpRequestMessage, string, HttpResponseMessage> answer) : HttpMessageHandler
    {
        public List<(Uri Uri, string Body)> Requests { get; } = [];
        /// <summary>The call that stalls (far past any attempt timeout) until cancelled; 0: none.</summary>
        public int StallsOn { get; init; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancel)
        {
            string body = request.Content is null ? "" : await request.Content.ReadAsStringAsync(cancel);
            int call;
            lock (Requests) { Requests.Add((request.RequestUri!, body)); call = Requests.Count; }
            if (call == StallsOn) await Task.Delay(TimeSpan.FromMinutes(1), cancel);
            return answer(call, request, body);
        }
    }

    /// <summary>One prompt, two choices, listed out of order.</summary>
    const string TwoChoices = """
        {"choices": [
          {"index": 1, "token_ids": [5, 1], "logprobs": {"token_logprobs": [-0.5, -0.25]}, "finish_reason": "stop"},
          {"index": 0, "token_ids": [4, 4, 4, 4], "logprobs": {"token_logprobs": [-1, -2, -3, -4]}, "finish_reason": "length"}]}
        """;

    static HttpResponseMessage Json(HttpStatusCode status, string json) => new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    [Fact]
    public void ATransient503IsRetriedAndTheRetryAnswers()
    {
        var transport = new StubTransport((call, _, _) => call == 1
            ? Json(HttpStatusCode.ServiceUnavailable, """{"error": {"message": "busy"}}""")
            : Json(HttpStatusCode.OK, TwoChoices));
        using var client = new CompletionsClient(Config("http://engine-a:8000"), transport);
        IReadOnlyList<Sample> samples = client.Sample([[3, 4, 5]], TwoEach);
        Assert.Equal(2, transport.Requests.Count);
        Assert.Equal([4, 4, 4, 4], samples[0].TokenIds);
        Assert.Equal(FinishReason.Length, samples[0].FinishReason);
        Assert.Equal([-0.5f, -0.25f], samples[1].LogProbs);
        Assert.All(samples, s => Assert.Equal(0, s.PromptIndex));
        Assert.Equal("http://engine-a:8000/v1/completions", transport.Requests[0].Uri.ToString());
        foreach (string field in new[] { "\"prompt\":[[3,4,5]]", "\"n\":2", "\"seed\":7", "\"logprobs\":1", "\"return_token_ids\":true", "\"max_tokens\":4" })
            Assert.Contains(field, transport.Requests[1].Body);
    }

    [Fact]
    public void AnAttemptThatStallsPastTheTimeoutIsCutAndRetried()
    {
        var transport = new StubTransport((_, _, _) => Json(HttpStatusCode.OK, TwoChoices)) { StallsOn = 1 };
        using var client = new CompletionsClient(Config("http://engine-c:8000") with { RequestTimeoutS = 0.2 }, transport);
        Assert.Equal(2, client.Sample([[3]], TwoEach).Count);
        Assert.Equal(2, transport.Requests.Count);
    }

    [Fact]
    public void RequestsGoToTheEndpointsInTurnAndEachHasItsOwnSeed()
    {
        var transport = new StubTransport((_, _, _) => Json(HttpStatusCode.OK, TwoChoices));
        using var client = new CompletionsClient(Config("http://a:1", "http://b:2") with { PromptsPerRequest = 1, MaxConcurrency = 1 }, transport);
        IReadOnlyList<Sample> samples = client.Sample([[3], [4], [5]], TwoEach);
        Assert.Equal([0, 0, 1, 1, 2, 2], samples.Select(s => s.PromptIndex));
        Assert.Equal(["a", "b", "a"], transport.Requests.Select(r => r.Uri.Host));
        Assert.Equal(3, transport.Requests.Select(r => r.Body).Distinct().Count());
        Assert.Contains(transport.Requests, r => r.Body.Contains("\"seed\":9"));
    }

    [Fact]
    public void ARetryGoesToAnotherEndpointSoADeadOneIsTriedAtMostOncePerRequest()
    {
        var transport = new StubTransport((_, request, _) => request.RequestUri!.Host == "dead"
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (dead:1)")
            : Json(HttpStatusCode.OK, TwoChoices));
        using var client = new CompletionsClient(Config("http://dead:1", "http://live:2") with { PromptsPerRequest = 1, MaxConcurrency = 2 }, transport);
        IReadOnlyList<Sample> samples = client.Sample([[3], [4], [5], [6], [7], [8]], TwoEach);
        Assert.Equal([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5], samples.Select(s => s.PromptIndex));
        var byRequest = transport.Requests.GroupBy(r => r.Body).ToList();
        Assert.Equal(6, byRequest.Count);
        foreach (var attempts in byRequest)
        {
            Assert.InRange(attempts.Count(a => a.Uri.Host == "dead"), 0, 1);
            Assert.Equal(1, attempts.Count(a => a.Uri.Host == "live"));
        }
        Assert.Contains(byRequest, attempts => attempts.Any(a => a.Uri.Host == "dead")); // requests did start there
        Assert.Equal(byRequest.Count(a => a.Any(x => x.Uri.Host == "dead")), client.DroppedConnections);
    }

    [Fact]
    public void APersistentFailureNamesTheEndpoint()
    {
        var transport = new StubTransport((_, _, _) => Json(HttpStatusCode.BadGateway, """{"error": {"message": "down"}}"""));
        using var client = new CompletionsClient(Config("http://engine-b:9000"), transport);
        var e = Assert.Throws<RolloutEngineException>(() => client.Sample([[3]], TwoEach));
        Assert.Equal(3, transport.Requests.Count); // the first try and max_retries = 2
        Assert.Contains("http://engine-b:9000/v1/completions", e.Message);
        Assert.Contains("502", e.Message);
    }

    [Fact]
    public void AnUnreachableEndpointGivesAClearErrorNamingIt()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop(); // nothing listens there now
        using var client = new CompletionsClient(Config($"http://127.0.0.1:{port}"));
        var e = Assert.Throws<RolloutEngineException>(() => client.Sample([[3]], TwoEach));
        Assert.Contains($"http://127.0.0.1:{port}/v1/completions", e.Message);
        Assert.Contains("unreachable", e.Message);
    }

    [Fact]
    public void AnAnswerWithoutTokenIdsIsRefusedNamingWhatIsMissing()
    {
        var transport = new StubTransport((_, _, _) => Json(HttpStatusCode.OK, """{"choices": [{"index": 0, "text": "x"}, {"index": 1, "text": "y"}]}"""));
        using var client = new CompletionsClient(Config("http://a:1"), transport);
        var e = Assert.Throws<RolloutEngineException>(() => client.Sample([[3]], TwoEach));
        Assert.Contains("token_ids", e.Message);
        Assert.Contains("http://a:1/", e.Message);
    }
}
