// What every request passes through: the API key check (all routes but /health), and errors turned into OpenAI's
// JSON error bodies, an unexpected one as 500 without its stack.
using System.Security.Cryptography;
using System.Text;
using Ispo.Serve.Api;
using Microsoft.AspNetCore.Http;

namespace Ispo.Serve.Endpoints;

internal static class RequestGuards
{
    public static Func<HttpContext, RequestDelegate, Task> ApiKey(string? key)
    {
        byte[]? expected = key is null ? null : Encoding.UTF8.GetBytes("Bearer " + key);
        return async (http, next) =>
        {
            if (expected is null || http.Request.Path == "/health" || Matches(http.Request.Headers.Authorization.ToString(), expected))
            {
                await next(http);
                return;
            }
            await new ApiException(401, "missing or wrong API key: send \"Authorization: Bearer KEY\"", code: "invalid_api_key")
                .ToResult().ExecuteAsync(http);
        };
    }

    static bool Matches(string header, byte[] expected) => CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), expected);

    public static async ValueTask<object?> Errors(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (ApiException e)
        {
            return e.ToResult();
        }
        catch (BadHttpRequestException e)
        {
            return new ApiException(e.StatusCode, e.Message).ToResult();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return new ApiException(500, $"internal error: {e.Message}", "server_error").ToResult();
        }
    }
}
