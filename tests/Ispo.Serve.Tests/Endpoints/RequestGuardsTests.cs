using System.Net;
using System.Text;
using static Ispo.Serve.Tests.Support.TestServer;

namespace Ispo.Serve.Tests.Endpoints;

public class RequestGuardsTests
{
    [Fact]
    public async Task With_a_key_every_route_but_health_needs_it_and_a_wrong_one_is_401()
    {
        await using ServeHost server = await Start(TinyModel(), o => o with { ApiKey = "sesame" });
        using HttpClient none = Client(server), wrong = Client(server, "open"), right = Client(server, "sesame");
        Assert.Equal(HttpStatusCode.OK, (await none.GetAsync("/health")).StatusCode);
        AssertError(await Get(none, "/v1/models"), HttpStatusCode.Unauthorized);
        var refused = await Post(wrong, "/v1/completions", """{"prompt": "a", "max_tokens": 2}""");
        AssertError(refused, HttpStatusCode.Unauthorized);
        Assert.Equal("invalid_api_key", refused.Body.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Post(right, "/v1/completions", """{"prompt": "a", "max_tokens": 2}""")).Status);
    }

    [Fact]
    public async Task A_body_past_the_limit_is_413_whether_or_not_it_declares_its_length()
    {
        await using ServeHost server = await Start(TinyModel(), o => o with { MaxRequestBytes = 2048 });
        using HttpClient client = Client(server);
        string big = $$"""{"prompt": "{{new string('a', 4000)}}", "max_tokens": 2}""";
        AssertError(await Post(client, "/v1/completions", big), HttpStatusCode.RequestEntityTooLarge);

        var chunked = new HttpRequestMessage(HttpMethod.Post, "/v1/completions") { Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(big))) };
        chunked.Content.Headers.ContentType = new("application/json");
        chunked.Headers.TransferEncodingChunked = true;
        using HttpResponseMessage response = await client.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("\"error\"", await response.Content.ReadAsStringAsync());
    }
}
