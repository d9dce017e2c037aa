// Tiny model folders, servers on a free loopback port, and raw JSON requests for the server tests.
using System.Net;
using System.Text;
using System.Text.Json;
using Ispo.Models.Pretrained;

namespace Ispo.Serve.Tests.Support;

internal static class TestServer
{
    /// <summary>A fresh folder holding the seeded tiny model (character tokenizer, 512 positions).</summary>
    public static string TinyModel(long seed = 3)
    {
        string dir = Path.Combine(Directory.CreateTempSubdirectory("ispo-serve-").FullName, "tiny");
        ModelInit.Create(ModelInit.Preset("tiny"), dir, seed);
        return dir;
    }

    public static Task<ServeHost> Start(string modelDir, Func<ServeOptions, ServeOptions>? configure = null)
    {
        var options = new ServeOptions { ModelDir = modelDir, Port = 0, BatchWindow = TimeSpan.FromMilliseconds(20), Seed = 1 };
        return ServeHost.StartAsync(configure?.Invoke(options) ?? options);
    }

    /// <summary>Returns once the server holds <paramref name="count"/> requests in its queue (a fixed delay is not
    /// enough on a loaded machine: a fresh server's first request can take seconds to arrive).</summary>
    public static Task Queued(ServeHost server, int count = 1) => Until(() => server.Queued >= count, $"{count} requests in the server's queue");

    /// <summary>Returns once <paramref name="condition"/> holds; fails after a minute naming <paramref name="what"/>.</summary>
    public static async Task Until(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"never reached: {what}");
            await Task.Delay(1);
        }
    }

    public static HttpClient Client(ServeHost server, string? apiKey = null)
    {
        var client = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };
        if (apiKey is not null) client.DefaultRequestHeaders.Authorization = new("Bearer", apiKey);
        return client;
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> Post(HttpClient client, string path, string json)
    {
        using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await Body(response));
    }

    public static async Task<(HttpStatusCode Status, JsonElement Body)> Get(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return (response.StatusCode, await Body(response));
    }

    static async Task<JsonElement> Body(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>Asserts an OpenAI-shaped error body with this status, and returns its message.</summary>
    public static string AssertError((HttpStatusCode Status, JsonElement Body) answer, HttpStatusCode status)
    {
        Assert.Equal(status, answer.Status);
        JsonElement error = answer.Body.GetProperty("error");
        Assert.Equal(JsonValueKind.String, error.GetProperty("type").ValueKind);
        return error.GetProperty("message").GetString()!;
    }

    public static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => e.GetSingle()).ToArray();
}
