// The engine routes a trainer drives: /health, SGLang's /update_weights_from_disk, /pause_generation and
// /continue_generation, and vLLM's LoRA routes, which answer 501 until Ispo has LoRA.
using System.Text.Json;
using Ispo.Serve.Api;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ispo.Serve.Endpoints;

internal static class EngineEndpoints
{
    public static void Map(IEndpointRouteBuilder routes, ServeContext context)
    {
        routes.MapGet("/health", () => context.Worker.IsClosing ? ApiException.Closing().ToResult() : Results.Ok());
        routes.MapPost("/update_weights_from_disk", (HttpRequest request) => UpdateWeights(request.HttpContext, context));
        routes.MapPost("/pause_generation", (HttpRequest request) => Pause(request.HttpContext, context));
        routes.MapPost("/continue_generation", async () =>
        {
            await context.Worker.ContinueAsync();
            return ApiJson.Ok(new { message = "Generation continued successfully.", status = "ok" });
        });
        routes.MapPost("/v1/load_lora_adapter", () => NoLora());
        routes.MapPost("/v1/unload_lora_adapter", () => NoLora());
    }

    /// <summary>SGLang's contract: {"model_path"} in; {"success", "message", "num_paused_requests"} out, 200 or 400.
    /// Every failure of this route answers in that shape (a client checks "success").</summary>
    static async Task<IResult> UpdateWeights(HttpContext http, ServeContext context)
    {
        try
        {
            var body = await ApiJson.ReadAsync<UpdateWeightsBody>(http.Request, context.Options.MaxRequestBytes, http.RequestAborted);
            if (string.IsNullOrWhiteSpace(body.ModelPath)) throw ApiException.BadField("model_path", "is required");
            if (!Directory.Exists(body.ModelPath)) throw ApiException.BadField("model_path", $"'{body.ModelPath}' is not a folder");
            if (context.Worker.IsClosing) throw ApiException.Closing();
            string? failure = await context.Worker.ReloadAsync(body.ModelPath);
            return failure is null
                ? Sglang(200, true, $"loaded the weights of {body.ModelPath}")
                : Sglang(400, false, $"failed to load {body.ModelPath}: {failure}; the previous weights are still served");
        }
        catch (ApiException e)
        {
            return Sglang(e.Status, false, e.Message);
        }
    }

    /// <summary>SGLang's contract: {"mode": "abort" (default) | "retract" | "in_place"}. It answers once the running
    /// batch has ended (a sampler call cannot stop midway); "abort" also fails the queued requests (503, to be sent
    /// again), the other modes keep them queued until /continue_generation.</summary>
    static async Task<IResult> Pause(HttpContext http, ServeContext context)
    {
        var body = http.Request.ContentLength == 0 ? new PauseBody()
            : await ApiJson.ReadAsync<PauseBody>(http.Request, context.Options.MaxRequestBytes, http.RequestAborted);
        string mode = body.Mode ?? "abort";
        if (mode is not ("abort" or "retract" or "in_place")) throw ApiException.BadField("mode", "must be abort, retract or in_place");
        string? failure = await context.Worker.PauseAsync(abortQueued: mode == "abort");
        if (failure is not null) throw ApiException.Closing();
        return ApiJson.Ok(new { message = "Generation paused successfully.", status = "ok" });
    }

    static IResult Sglang(int status, bool success, string message) =>
        Results.Json(new { success, message, num_paused_requests = 0 }, ApiJson.Options, statusCode: status);

    static IResult NoLora() => new ApiException(501, "LoRA adapters are not supported: Ispo has no LoRA yet; reload full weights with "
        + "POST /update_weights_from_disk", "not_implemented_error", "lora_not_supported").ToResult();
}

internal sealed record PauseBody
{
    public string? Mode { get; init; }
}

internal sealed record UpdateWeightsBody
{
    public string? ModelPath { get; init; }
    public string? LoadFormat { get; init; }
    public JsonElement FlushCache { get; init; }
}
