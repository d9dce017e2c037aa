using System.Net;
using static Ispo.Serve.Tests.Support.TestServer;

namespace Ispo.Serve.Tests.Engine;

public class BatchWorkerTests
{
    [Fact]
    public async Task A_request_past_the_queue_bound_is_429_and_the_queued_one_is_still_answered()
    {
        // The batch window holds the first request in the queue long enough to fill it.
        await using ServeHost server = await Start(TinyModel(), o => o with { MaxQueuedRequests = 1, BatchWindow = TimeSpan.FromSeconds(2) });
        using HttpClient client = Client(server);
        var first = Post(client, "/v1/completions", """{"prompt": "a", "max_tokens": 2}""");
        await Task.Delay(300);
        var second = await Post(client, "/v1/completions", """{"prompt": "b", "max_tokens": 2}""");
        AssertError(second, HttpStatusCode.TooManyRequests);
        Assert.Equal("queue_full", second.Body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await first).Status);
    }

    [Fact]
    public async Task Stopping_the_server_answers_queued_requests_503_instead_of_dropping_them()
    {
        ServeHost server = await Start(TinyModel(), o => o with { BatchWindow = TimeSpan.FromSeconds(3) });
        using HttpClient client = Client(server);
        var queued = Post(client, "/v1/completions", """{"prompt": "a", "max_tokens": 2}""");
        await Task.Delay(300);
        await server.DisposeAsync();
        var answer = await queued;
        AssertError(answer, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("shutting down", answer.Body.GetProperty("error").GetProperty("message").GetString());
    }
}
