using System.Net;
using System.Text.Json;
using Ispo.Serve.Tests.Support;
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
        await Queued(server);
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
        await Queued(server);
        await server.DisposeAsync();
        var answer = await queued;
        AssertError(answer, HttpStatusCode.ServiceUnavailable);
        Assert.Contains("shutting down", answer.Body.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_seedless_request_sent_while_a_batch_decodes_joins_it_and_a_seeded_one_still_gets_exactly_its_own_samples()
    {
        string model = TinyModel();
        await using ServeHost server = await Start(model, o => o with { BatchWindow = TimeSpan.Zero });
        using HttpClient client = Client(server);
        const string Seedless = """{"prompt": [5, 6, 7], "n": 8, "max_tokens": 200, "temperature": 1.0, "return_token_ids": true}""";
        var first = Post(client, "/v1/completions", Seedless);
        await Until(() => server.BatchesRun > 0, "the first batch started");
        var joining = Post(client, "/v1/completions", Seedless.Replace("[5, 6, 7]", "[9, 10]"));
        await Task.Delay(20); // the joining request reaches the worker first
        const string Seeded = """{"prompt": [5, 6, 7], "n": 2, "max_tokens": 16, "temperature": 1.0, "seed": 9, "logprobs": 1, "return_token_ids": true}""";
        var seeded = Post(client, "/v1/completions", Seeded);
        Assert.All(await Task.WhenAll(first, joining, seeded), answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.Equal(8, (await joining).Body.GetProperty("choices").GetArrayLength());
        Assert.Equal(2, server.BatchesRun); // one decode batch for both seedless requests, one for the seeded request alone

        var local = LocalSampler.Generate(model, [[5, 6, 7]], n: 2, maxTokens: 16, temperature: 1.0, seed: 9);
        JsonElement choices = (await seeded).Body.GetProperty("choices");
        for (int i = 0; i < 2; i++)
        {
            Assert.Equal(local[i].TokenIds, Ints(choices[i].GetProperty("token_ids")));
            Assert.Equal(local[i].LogProbs, Floats(choices[i].GetProperty("logprobs").GetProperty("token_logprobs")));
        }
    }
}
