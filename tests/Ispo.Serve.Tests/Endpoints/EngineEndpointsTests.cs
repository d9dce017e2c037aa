using System.Net;
using System.Text.Json;
using Ispo.Serve.Tests.Support;
using static Ispo.Serve.Tests.Support.TestServer;

namespace Ispo.Serve.Tests.Endpoints;

public class EngineEndpointsTests
{
    const string Request = """{"prompt": [5, 6, 7], "max_tokens": 8, "temperature": 1.0, "seed": 9, "logprobs": 1, "return_token_ids": true}""";

    [Fact]
    public async Task Update_weights_from_disk_serves_exactly_what_loading_that_folder_locally_gives()
    {
        string first = TinyModel(seed: 3), second = TinyModel(seed: 4);
        await using ServeHost server = await Start(first);
        using HttpClient client = Client(server);
        JsonElement before = (await Post(client, "/v1/completions", Request)).Body.GetProperty("choices")[0];

        var update = await Post(client, "/update_weights_from_disk", JsonSerializer.Serialize(new { model_path = second }));
        Assert.Equal(HttpStatusCode.OK, update.Status);
        Assert.True(update.Body.GetProperty("success").GetBoolean());
        Assert.Equal(0, update.Body.GetProperty("num_paused_requests").GetInt32());

        JsonElement after = (await Post(client, "/v1/completions", Request)).Body.GetProperty("choices")[0];
        var local = LocalSampler.Generate(second, [[5, 6, 7]], n: 1, maxTokens: 8, temperature: 1.0, seed: 9).Single();
        Assert.Equal(local.TokenIds, Ints(after.GetProperty("token_ids")));
        Assert.Equal(local.LogProbs, Floats(after.GetProperty("logprobs").GetProperty("token_logprobs")));
        Assert.NotEqual(Floats(before.GetProperty("logprobs").GetProperty("token_logprobs")), local.LogProbs);
    }

    [Fact]
    public async Task A_failed_update_answers_success_false_and_keeps_serving_the_old_weights()
    {
        string model = TinyModel();
        await using ServeHost server = await Start(model);
        using HttpClient client = Client(server);
        string empty = Directory.CreateTempSubdirectory("ispo-serve-empty-").FullName;
        foreach (string body in new[] { JsonSerializer.Serialize(new { model_path = empty }), """{"model_path": "/no/such/folder"}""", "{}", "{" })
        {
            var answer = await Post(client, "/update_weights_from_disk", body);
            Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
            Assert.False(answer.Body.GetProperty("success").GetBoolean());
            Assert.NotEmpty(answer.Body.GetProperty("message").GetString()!);
        }
        JsonElement served = (await Post(client, "/v1/completions", Request)).Body.GetProperty("choices")[0];
        var local = LocalSampler.Generate(model, [[5, 6, 7]], n: 1, maxTokens: 8, temperature: 1.0, seed: 9).Single();
        Assert.Equal(local.TokenIds, Ints(served.GetProperty("token_ids")));
    }

    [Fact]
    public async Task Paused_in_place_a_request_waits_through_a_weight_update_and_is_answered_by_the_new_weights()
    {
        string first = TinyModel(seed: 3), second = TinyModel(seed: 4);
        await using ServeHost server = await Start(first);
        using HttpClient client = Client(server);
        var paused = await Post(client, "/pause_generation", """{"mode": "in_place"}""");
        Assert.Equal(HttpStatusCode.OK, paused.Status);
        Assert.Equal("ok", paused.Body.GetProperty("status").GetString());

        var waiting = Post(client, "/v1/completions", Request);
        Assert.NotSame(waiting, await Task.WhenAny(waiting, Task.Delay(500)));
        Assert.True((await Post(client, "/update_weights_from_disk", JsonSerializer.Serialize(new { model_path = second }))).Body.GetProperty("success").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await Post(client, "/continue_generation", "{}")).Status);

        JsonElement served = (await waiting).Body.GetProperty("choices")[0];
        var local = LocalSampler.Generate(second, [[5, 6, 7]], n: 1, maxTokens: 8, temperature: 1.0, seed: 9).Single();
        Assert.Equal(local.TokenIds, Ints(served.GetProperty("token_ids")));
    }

    [Fact]
    public async Task Pausing_in_the_default_abort_mode_fails_queued_requests_with_503_to_be_sent_again()
    {
        await using ServeHost server = await Start(TinyModel(), o => o with { BatchWindow = TimeSpan.FromSeconds(3) });
        using HttpClient client = Client(server);
        var queued = Post(client, "/v1/completions", """{"prompt": "a", "max_tokens": 2}""");
        await Task.Delay(300);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/pause_generation", null)).StatusCode);
        var answer = await queued;
        AssertError(answer, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("aborted", answer.Body.GetProperty("error").GetProperty("code").GetString());
        AssertError(await Post(client, "/pause_generation", """{"mode": "later"}"""), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Lora_adapters_are_501_with_a_json_error_saying_ispo_has_no_lora()
    {
        await using ServeHost server = await Start(TinyModel());
        using HttpClient client = Client(server);
        var answer = await Post(client, "/v1/load_lora_adapter", """{"lora_name": "step1", "lora_path": "/tmp/adapter"}""");
        Assert.Contains("LoRA", AssertError(answer, HttpStatusCode.NotImplemented));
        Assert.Equal("lora_not_supported", answer.Body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Health_is_200_while_serving()
    {
        await using ServeHost server = await Start(TinyModel());
        using HttpClient client = Client(server);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }
}
