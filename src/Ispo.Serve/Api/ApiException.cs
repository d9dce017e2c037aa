// An error answered as OpenAI does: the status, and {"error": {"message", "type", "param", "code"}}.
using Microsoft.AspNetCore.Http;

namespace Ispo.Serve.Api;

internal sealed class ApiException(int status, string message, string type = "invalid_request_error", string? code = null,
    string? param = null) : Exception(message)
{
    public int Status { get; } = status;
    public string Type { get; } = type;
    public string? Code { get; } = code;
    public string? Param { get; } = param;

    public IResult ToResult() => Results.Json(new ErrorBody(new ErrorDetail(Message, Type, Param, Code)), ApiJson.Options, statusCode: Status);

    public static ApiException BadField(string field, string message) => new(400, $"field '{field}': {message}", param: field);
    public static ApiException Unsupported(string field, string why) => new(400, $"field '{field}': {why}", code: "unsupported", param: field);
    public static ApiException TooLarge(long maxBytes) =>
        new(413, $"the request body is larger than the server's limit of {maxBytes} bytes", code: "request_too_large");
    public static ApiException QueueFull(int max) =>
        new(429, $"the server's queue is full ({max} requests waiting); retry later", "rate_limit_error", "queue_full");
    public static ApiException Closing() => new(503, "the server is shutting down", "server_error", "service_unavailable");
}

internal sealed record ErrorBody(ErrorDetail Error);

internal sealed record ErrorDetail(string Message, string Type, string? Param, string? Code);
