using System.Net;
using System.Text.Json;
using static Ispo.Serve.Tests.Support.TestServer;

namespace Ispo.Serve.Tests.Api;

// CompletionBody, ChatBody, SamplingFields and ApiJson: every bad request is a 400 with a JSON error naming the field.
public class RequestValidationTests : IAsyncLifetime
{
    ServeHost server = null!;
    HttpClient client = null!;

    public async Task InitializeAsync()
    {
        server = await Start(TinyModel());
        client = Client(server);
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await server.DisposeAsync();
    }

    [Theory]
    [InlineData("""{"prompt": "a", """, "not valid JSON")]
    [InlineData("""[1, 2]""", "must be a JSON object")]
    [InlineData("""{"prompt": "a", "n": "two"}""", "field 'n'")]
    [InlineData("""{"prompt": "a", "max_tokens": 1.5}""", "field 'max_tokens'")]
    [InlineData("""{"prompt": "a", "n": 0}""", "field 'n'")]
    [InlineData("""{"prompt": "a", "n": 65}""", "exceed the server's batch")]
    [InlineData("""{"prompt": "a", "max_tokens": 600}""", "maximum context length is 512")]
    [InlineData("""{"prompt": "a", "temperature": -1}""", "field 'temperature'")]
    [InlineData("""{"prompt": "a", "top_p": 0}""", "field 'top_p'")]
    [InlineData("""{"prompt": "a", "stop": 3}""", "field 'stop'")]
    [InlineData("""{"prompt": "a", "stop": [""]}""", "field 'stop'")]
    [InlineData("""{"prompt": "a", "logprobs": 5}""", "field 'logprobs'")]
    [InlineData("""{"prompt": "a", "stream": true}""", "streaming is not supported")]
    [InlineData("""{"prompt": "a", "echo": true}""", "field 'echo'")]
    [InlineData("""{"prompt": "a", "frequency_penalty": 0.5}""", "field 'frequency_penalty'")]
    [InlineData("""{"max_tokens": 3}""", "field 'prompt': is required")]
    [InlineData("""{"prompt": []}""", "field 'prompt'")]
    [InlineData("""{"prompt": [5, 100000]}""", "field 'prompt[1]'")]
    [InlineData("""{"prompt": [[5], [-1]]}""", "field 'prompt[1][0]'")]
    [InlineData("""{"prompt": ["a", [5]]}""", "all strings or all token-id lists")]
    [InlineData("""{"prompt": ""}""", "encodes to no tokens")]
    public async Task Bad_completion_requests_are_400_with_a_message_naming_the_problem(string body, string expected)
    {
        string message = AssertError(await Post(client, "/v1/completions", body), HttpStatusCode.BadRequest);
        Assert.Contains(expected, message);
    }

    [Theory]
    [InlineData("""{"messages": []}""", "field 'messages'")]
    [InlineData("""{"messages": [{"role": "robot", "content": "x"}]}""", "field 'messages[0].role'")]
    [InlineData("""{"messages": [{"role": "user"}]}""", "field 'messages[0].content'")]
    [InlineData("""{"messages": [{"role": "user", "content": [{"type": "image_url"}]}]}""", "only text parts")]
    [InlineData("""{"messages": [{"role": "user", "content": "x"}], "logprobs": true, "top_logprobs": 3}""", "field 'top_logprobs'")]
    public async Task Bad_chat_requests_are_400(string body, string expected)
    {
        string message = AssertError(await Post(client, "/v1/chat/completions", body), HttpStatusCode.BadRequest);
        Assert.Contains(expected, message);
    }

    [Fact]
    public async Task Another_model_name_is_404_as_vllm_answers_it()
    {
        var answer = await Post(client, "/v1/completions", """{"model": "gpt-4", "prompt": "a"}""");
        AssertError(answer, HttpStatusCode.NotFound);
        Assert.Equal("model_not_found", answer.Body.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Unknown_fields_are_ignored_as_vllm_does()
    {
        var answer = await Post(client, "/v1/completions", JsonSerializer.Serialize(new { prompt = "a", max_tokens = 2, user = "me", presence_penalty = 0 }));
        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }
}
