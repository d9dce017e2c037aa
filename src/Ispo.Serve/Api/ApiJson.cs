// JSON in and out: snake_case names as OpenAI's API spells them, strict numbers, and request bodies read within the
// size limit with errors that name the field.
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Ispo.Serve.Api;

internal static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.Strict,
        MaxDepth = 16,
    };

    /// <summary>The body as <typeparamref name="T"/>: 413 past <paramref name="maxBytes"/>, 400 for anything but a
    /// JSON object whose fields have the expected types. Unknown fields are ignored, as vLLM does.</summary>
    public static async Task<T> ReadAsync<T>(HttpRequest request, long maxBytes, CancellationToken cancel) where T : class
    {
        // Kestrel enforces the limit on the first read (declared or chunked length) and closes the connection after the
        // 413, so a client does not reuse a connection whose unread body is still in flight.
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, new JsonDocumentOptions { MaxDepth = 16 }, cancel);
        }
        catch (JsonException e)
        {
            throw new ApiException(400, $"the request body is not valid JSON ({e.Message})");
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw ApiException.TooLarge(maxBytes);
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new ApiException(400, "the request body must be a JSON object");
            try
            {
                return document.RootElement.Deserialize<T>(Options) ?? throw new ApiException(400, "the request body must be a JSON object");
            }
            catch (JsonException e)
            {
                string field = (e.Path ?? "$").TrimStart('$', '.');
                throw ApiException.BadField(field, "has the wrong type or an out-of-range value");
            }
        }
    }

    public static IResult Ok(object body) => Results.Json(body, Options);
}
