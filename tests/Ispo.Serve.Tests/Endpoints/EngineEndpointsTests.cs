using System.Net;
using System.Text.Json;
using Ispo.Models.Lora;
using Ispo.Models.Pretrained;
using Ispo.Serve.Tests.Support;
using TorchSharp;
using static Ispo.Serve.Tests.Support.TestServer;

namespace Ispo.Serve.Tests.Endpoints;

public class EngineEndpointsTests
{
    const string Request = """{"prompt": [5, 6, 7], "max_tokens": 8, "temperature": 1.0, "seed": 9, "logprobs": 1, "return_token_ids": true}""";

    [Fact]
    public async Task Cpu_kernels_off_serves_libtorchs_operations_as_the_local_sampler_does_and_a_reload_keeps_it()
    {
        string first = TinyModel(seed: 3), second = TinyModel(seed: 4);
        await using ServeHost server = await Start(first, o => o with { CpuKernels = Ispo.Models.CpuKernels.Off });
        using HttpClient client = Client(server);
        Assert.False(server.UsesCpuKernels);
        Assert.True((await Post(client, "/update_weights_from_disk", JsonSerializer.Serialize(new { model_path = second }))).Body.GetProperty("success").GetBoolean());
        Assert.False(server.UsesCpuKernels);
        JsonElement served = (await Post(client, "/v1/completions", Request)).Body.GetProperty("choices")[0];
        var local = LocalSampler.Generate(second, [[5, 6, 7]], n: 1, maxTokens: 8, temperature: 1.0, seed: 9, cpuKernels: Ispo.Models.CpuKernels.Off).Single();
        Assert.Equal(local.TokenIds, Ints(served.GetProperty("token_ids")));
        Assert.Equal(local.LogProbs, Floats(served.GetProperty("logprobs").GetProperty("token_logprobs")));
    }

    [Fact]
    public async Task Update_weights_from_disk_serves_exactly_what_loading_that_folder_locally_gives()
    {
        string first = TinyModel(seed: 3), second = TinyModel(seed: 4);
        await using ServeHost server = await Start(first);
        using HttpClient client = Client(server);
        JsonElement before = (await Post(client, "/v1/completions", Request)).Body.GetProperty("choices")[0];
        Assert.Equal(first, await ModelPath(client));

        var update = await Post(client, "/update_weights_from_disk", JsonSerializer.Serialize(new { model_path = second }));
        Assert.Equal(HttpStatusCode.OK, update.Status);
        Assert.True(update.Body.GetProperty("success").GetBoolean());
        Assert.Equal(0, update.Body.GetProperty("num_paused_requests").GetInt32());
        Assert.Equal(second, await ModelPath(client)); // SGLang's: the folder last loaded

        JsonElement after = (await Post(client, "/v1/completions", Request)).Body.GetProperty("choices")[0];
        var local = LocalSampler.Generate(second, [[5, 6, 7]], n: 1, maxTokens: 8, temperature: 1.0, seed: 9).Single();
        Assert.Equal(local.TokenIds, Ints(after.GetProperty("token_ids")));
        Assert.Equal(local.LogProbs, Floats(after.GetProperty("logprobs").GetProperty("token_logprobs")));
        Assert.NotEqual(Floats(before.GetProperty("logprobs").GetProperty("token_logprobs")), local.LogProbs);
    }

    static async Task<string?> ModelPath(HttpClient client) => (await Get(client, "/get_model_info")).Body.GetProperty("model_path").GetString();

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
        Assert.Equal(model, await ModelPath(client));
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
        await Queued(server);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/pause_generation", null)).StatusCode);
        var answer = await queued;
        AssertError(answer, HttpStatusCode.ServiceUnavailable);
        Assert.Equal("aborted", answer.Body.GetProperty("error").GetProperty("code").GetString());
        AssertError(await Post(client, "/pause_generation", """{"mode": "later"}"""), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_loaded_lora_adapter_serves_exactly_what_the_local_sampler_gives_on_base_plus_adapter()
    {
        string model = TinyModel();
        string adapter = Adapter(model, seed: 5), other = Adapter(model, seed: 6);
        await using ServeHost server = await Start(model);
        using HttpClient client = Client(server);
        var loaded = await client.PostAsync("/v1/load_lora_adapter", Json(new { lora_name = "step1", lora_path = adapter }));
        Assert.Equal(HttpStatusCode.OK, loaded.StatusCode);
        Assert.Equal("Success: LoRA adapter 'step1' added successfully.", await loaded.Content.ReadAsStringAsync());

        string named = Request.Replace("{", "{\"model\": \"step1\", ");
        JsonElement served = (await Post(client, "/v1/completions", named)).Body;
        Assert.Equal("step1", served.GetProperty("model").GetString());
        var local = LocalSampler.Generate(adapter, [[5, 6, 7]], n: 1, maxTokens: 8, temperature: 1.0, seed: 9).Single(); // base + adapter
        Assert.Equal(local.TokenIds, Ints(served.GetProperty("choices")[0].GetProperty("token_ids")));
        Assert.Equal(local.LogProbs, Floats(served.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("token_logprobs")));
        // the base model is still served as it was
        JsonElement plain = (await Post(client, "/v1/completions", Request)).Body.GetProperty("choices")[0];
        var basic = LocalSampler.Generate(model, [[5, 6, 7]], n: 1, maxTokens: 8, temperature: 1.0, seed: 9).Single();
        Assert.Equal(basic.LogProbs, Floats(plain.GetProperty("logprobs").GetProperty("token_logprobs")));
        Assert.NotEqual(basic.LogProbs, local.LogProbs);
        var models = (await Get(client, "/v1/models")).Body.GetProperty("data");
        Assert.Equal(["tiny", "step1"], models.EnumerateArray().Select(m => m.GetProperty("id").GetString()!));
        Assert.Equal("tiny", models[1].GetProperty("parent").GetString());

        // vLLM's rules: the same name again needs load_inplace, which then serves the new weights
        AssertError(await Post(client, "/v1/load_lora_adapter", JsonSerializer.Serialize(new { lora_name = "step1", lora_path = other })), HttpStatusCode.BadRequest);
        var inPlace = await client.PostAsync("/v1/load_lora_adapter", Json(new { lora_name = "step1", lora_path = other, load_inplace = true }));
        Assert.Equal(HttpStatusCode.OK, inPlace.StatusCode);
        var replaced = LocalSampler.Generate(other, [[5, 6, 7]], n: 1, maxTokens: 8, temperature: 1.0, seed: 9).Single();
        Assert.Equal(replaced.LogProbs, Floats((await Post(client, "/v1/completions", named)).Body.GetProperty("choices")[0].GetProperty("logprobs").GetProperty("token_logprobs")));

        var unloaded = await client.PostAsync("/v1/unload_lora_adapter", Json(new { lora_name = "step1" }));
        Assert.Equal("Success: LoRA adapter 'step1' removed successfully.", await unloaded.Content.ReadAsStringAsync());
        AssertError(await Post(client, "/v1/completions", named), HttpStatusCode.NotFound);
        AssertError(await Post(client, "/v1/unload_lora_adapter", """{"lora_name": "step1"}"""), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_folder_that_is_not_a_fitting_adapter_is_refused_and_nothing_changes()
    {
        string model = TinyModel();
        await using ServeHost server = await Start(model);
        using HttpClient client = Client(server);
        string wide = Adapter(model, seed: 5, rank: 2);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/v1/load_lora_adapter", Json(new { lora_name = "a", lora_path = wide }))).StatusCode);
        foreach (string body in new[]
        {
            JsonSerializer.Serialize(new { lora_name = "b", lora_path = model }),                   // a model, not an adapter
            JsonSerializer.Serialize(new { lora_name = "b", lora_path = Adapter(model, seed: 6, rank: 4) }), // another rank while "a" is served
            JsonSerializer.Serialize(new { lora_name = "b" }),
            """{"lora_name": "b", "lora_path": "/no/such/folder"}""",
        })
            AssertError(await Post(client, "/v1/load_lora_adapter", body), HttpStatusCode.BadRequest);
        var models = (await Get(client, "/v1/models")).Body.GetProperty("data");
        Assert.Equal(["tiny", "a"], models.EnumerateArray().Select(m => m.GetProperty("id").GetString()!));
    }

    /// <summary>A PEFT adapter folder for <paramref name="model"/> with random A and B (B is not zero, so it changes the model).</summary>
    static string Adapter(string model, long seed, int rank = 2)
    {
        string dir = Directory.CreateTempSubdirectory("ispo-serve-lora-").FullName;
        using var policy = LoadedModel.LoadPretrained(model);
        LoraAdapters adapters = LoraAdapters.Attach(policy.Model, new LoraOptions { Rank = rank, Alpha = 4, TargetModules = ["q_proj", "v_proj", "down_proj"] }, seed);
        using (torch.no_grad())
        using (var generator = new torch.Generator((ulong)seed))
            foreach ((_, LoraAdapter adapter) in adapters.Named) adapter.B.weight!.normal_(0, 0.5, generator);
        PeftAdapter.Save(adapters, dir, model);
        return dir;
    }

    static StringContent Json(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");

    [Fact]
    public async Task Health_is_200_while_serving()
    {
        await using ServeHost server = await Start(TinyModel());
        using HttpClient client = Client(server);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }
}
