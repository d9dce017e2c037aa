using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using System.Text.Json;
using Ispo.Models.Chat;
using ChatMessage = Ispo.Models.Chat.ChatMessage;
using Ispo.Serve.Tests.Support;
using OpenAI;
using OpenAI.Chat;
using static Ispo.Serve.Tests.Support.TestServer;

namespace Ispo.Serve.Tests.Endpoints;

public class OpenAiEndpointsTests : IAsyncLifetime
{
    readonly string model = TinyModel();
    ServeHost server = null!;

    public async Task InitializeAsync() => server = await Start(model);

    public async Task DisposeAsync() => await server.DisposeAsync();

    OpenAIClientOptions ClientOptions => new() { Endpoint = new Uri(server.BaseAddress, "v1") };

    [Fact]
    public async Task The_official_client_chats_with_logprobs_equal_to_the_local_sampler_under_the_same_seed()
    {
        var chat = new ChatClient(server.ModelName, new ApiKeyCredential("unused"), ClientOptions);
        var options = new ChatCompletionOptions
        {
            IncludeLogProbabilities = true, TopLogProbabilityCount = 1, MaxOutputTokenCount = 12, Temperature = 0.8f,
#pragma warning disable OPENAI001 // Seed is marked experimental in the client
            Seed = 11,
#pragma warning restore OPENAI001
        };
        ChatCompletion reply = (await chat.CompleteChatAsync([new UserChatMessage("What is 2+2?")], options)).Value;

        int[] prompt = LocalSampler.EncodeChat(model, [ChatMessage.User("What is 2+2?")]);
        var local = LocalSampler.Generate(model, [prompt], n: 1, maxTokens: 12, temperature: 0.8, seed: 11).Single();
        Assert.Equal(local.LogProbs, reply.ContentTokenLogProbabilities.Select(t => t.LogProbability));
        Assert.All(reply.ContentTokenLogProbabilities, t => Assert.Equal(t.Token, Assert.Single(t.TopLogProbabilities).Token));
        Assert.Equal(prompt.Length, reply.Usage.InputTokenCount);
        Assert.Equal(local.TokenIds.Length, reply.Usage.OutputTokenCount);
        Assert.Equal(local.FinishReason == Models.Sampling.FinishReason.Length ? ChatFinishReason.Length : ChatFinishReason.Stop, reply.FinishReason);
    }

    [Fact]
    public async Task The_official_client_pipeline_gets_completions_with_logprobs_equal_to_the_local_sampler()
    {
        // OpenAI 2.15's completions client (LegacyCompletionClient) is internal: the request goes through the
        // library's own pipeline (its API-key policy, retries and error classification) with a raw body.
        ClientPipeline pipeline = new OpenAIClient(new ApiKeyCredential("unused"), ClientOptions).Pipeline;
        using PipelineMessage message = pipeline.CreateMessage();
        message.Request.Method = "POST";
        message.Request.Uri = new Uri(server.BaseAddress, "v1/completions");
        message.Request.Headers.Set("Content-Type", "application/json");
        message.Request.Content = BinaryContent.Create(BinaryData.FromObjectAsJson(new
        {
            model = server.ModelName, prompt = "2+2=", max_tokens = 10, temperature = 0.9, seed = 5, n = 2, logprobs = 1,
        }));
        message.ResponseClassifier = PipelineMessageClassifier.Create(stackalloc ushort[] { 200 });
        await pipeline.SendAsync(message);
        Assert.False(message.Response!.IsError, message.Response.Content.ToString());
        JsonElement body = JsonDocument.Parse(message.Response.Content.ToString()).RootElement;

        var local = LocalSampler.Generate(model, [LocalSampler.Encode(model, "2+2=")], n: 2, maxTokens: 10, temperature: 0.9, seed: 5);
        JsonElement[] choices = body.GetProperty("choices").EnumerateArray().ToArray();
        Assert.Equal(2, choices.Length);
        for (int i = 0; i < 2; i++)
        {
            JsonElement logprobs = choices[i].GetProperty("logprobs");
            Assert.Equal(local[i].LogProbs, Floats(logprobs.GetProperty("token_logprobs")));
            Assert.Equal(local[i].TokenIds.Length, logprobs.GetProperty("tokens").GetArrayLength());
            Assert.Equal(local[i].TokenIds.Length, logprobs.GetProperty("text_offset").GetArrayLength());
            Assert.Equal(local[i].TokenIds.Length, logprobs.GetProperty("top_logprobs").GetArrayLength());
        }
        Assert.Equal("text_completion", body.GetProperty("object").GetString());
        Assert.Equal(local.Sum(s => s.TokenIds.Length), body.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
    }

    [Fact]
    public async Task Token_id_prompts_return_their_token_ids_and_match_the_local_sampler_row_for_row()
    {
        using var client = Client(server);
        int[][] prompts = [[5, 6, 7], [8, 9]];
        var answer = await Post(client, "/v1/completions", JsonSerializer.Serialize(new
        {
            prompt = prompts, n = 2, max_tokens = 7, temperature = 1.0, seed = 3, logprobs = 0, return_token_ids = true,
        }));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var local = LocalSampler.Generate(model, prompts, n: 2, maxTokens: 7, temperature: 1.0, seed: 3);
        JsonElement[] choices = answer.Body.GetProperty("choices").EnumerateArray().ToArray();
        Assert.Equal(4, choices.Length);
        for (int i = 0; i < 4; i++)
        {
            Assert.Equal(i, choices[i].GetProperty("index").GetInt32());
            Assert.Equal(prompts[i / 2], Ints(choices[i].GetProperty("prompt_token_ids")));
            Assert.Equal(local[i].TokenIds, Ints(choices[i].GetProperty("token_ids")));
            Assert.Equal(local[i].LogProbs, Floats(choices[i].GetProperty("logprobs").GetProperty("token_logprobs")));
            Assert.Equal(local[i].FinishReason == Models.Sampling.FinishReason.Length ? "length" : "stop", choices[i].GetProperty("finish_reason").GetString());
        }
        Assert.Equal(5, answer.Body.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
    }

    [Fact]
    public async Task A_single_token_id_list_is_one_prompt_and_token_ids_are_left_out_unless_asked()
    {
        using var client = Client(server);
        var answer = await Post(client, "/v1/completions", """{"prompt": [5, 6, 7], "max_tokens": 4, "temperature": 0}""");
        JsonElement choice = Assert.Single(answer.Body.GetProperty("choices").EnumerateArray());
        Assert.False(choice.TryGetProperty("token_ids", out _));
        Assert.Equal(JsonValueKind.Null, choice.GetProperty("logprobs").ValueKind);
    }

    [Fact]
    public async Task A_stop_string_cuts_the_text_before_it_and_is_reported_as_the_stop_reason()
    {
        using var client = Client(server);
        var free = await Post(client, "/v1/completions", """{"prompt": "abc", "max_tokens": 24, "temperature": 0}""");
        string text = free.Body.GetProperty("choices")[0].GetProperty("text").GetString()!;
        string stop = text.Substring(text.Length / 2, 1);

        var stopped = await Post(client, "/v1/completions", JsonSerializer.Serialize(new { prompt = "abc", max_tokens = 24, temperature = 0, stop = new[] { stop } }));
        JsonElement choice = stopped.Body.GetProperty("choices")[0];
        Assert.Equal(text[..text.IndexOf(stop, StringComparison.Ordinal)], choice.GetProperty("text").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal(stop, choice.GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task Chat_returns_the_prompt_and_reply_token_ids_when_asked()
    {
        using var client = Client(server);
        var answer = await Post(client, "/v1/chat/completions", """
            {"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": [{"type": "text", "text": "Hi"}]}],
             "max_tokens": 6, "temperature": 0.7, "seed": 2, "n": 3, "return_token_ids": true}
            """);
        Assert.Equal(HttpStatusCode.OK, answer.Status);
        int[] prompt = LocalSampler.EncodeChat(model, [ChatMessage.System("Be brief."), ChatMessage.User("Hi")]);
        Assert.Equal(prompt, Ints(answer.Body.GetProperty("prompt_token_ids")));
        var local = LocalSampler.Generate(model, [prompt], n: 3, maxTokens: 6, temperature: 0.7, seed: 2);
        JsonElement[] choices = answer.Body.GetProperty("choices").EnumerateArray().ToArray();
        for (int i = 0; i < 3; i++) Assert.Equal(local[i].TokenIds, Ints(choices[i].GetProperty("token_ids")));
        Assert.Equal("assistant", choices[0].GetProperty("message").GetProperty("role").GetString());
    }

    [Fact]
    public async Task Models_lists_the_served_model_with_its_context_length()
    {
        using var client = Client(server);
        var answer = await Get(client, "/v1/models");
        JsonElement entry = Assert.Single(answer.Body.GetProperty("data").EnumerateArray());
        Assert.Equal(server.ModelName, entry.GetProperty("id").GetString());
        Assert.Equal(512, entry.GetProperty("max_model_len").GetInt32());
    }

    [Fact]
    public async Task Concurrent_requests_are_all_answered_and_share_batches()
    {
        using var client = Client(server);
        long before = server.BatchesRun;
        var answers = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            Post(client, "/v1/completions", JsonSerializer.Serialize(new { prompt = $"question {i}", max_tokens = 8, n = 1 + i % 2 }))));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Equal(Enumerable.Range(0, 12).Select(i => 1 + i % 2), answers.Select(a => a.Body.GetProperty("choices").GetArrayLength()));
        Assert.True(server.BatchesRun - before < 12, $"{server.BatchesRun - before} batches for 12 requests");
    }
}
