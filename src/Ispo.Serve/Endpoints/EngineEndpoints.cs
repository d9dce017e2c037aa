// The engine routes a trainer drives: /health, SGLang's /get_model_info, /update_weights_from_disk, /pause_generation
// and /continue_generation, and vLLM's /v1/load_lora_adapter and /v1/unload_lora_adapter.
using System.Text.Json;
using Ispo.Models.Lora;
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
        // SGLang's: model_path is the folder last loaded (at launch or by /update_weights_from_disk), so a trainer can
        // tell that an engine restarted since its last sync
        routes.MapGet("/get_model_info", () =>
        {
            string dir = context.Worker.Model.Policy.Directory;
            return ApiJson.Ok(new { model_path = dir, tokenizer_path = dir, is_generation = true });
        });
        routes.MapPost("/update_weights_from_disk", (HttpRequest request) => UpdateWeights(request.HttpContext, context));
        routes.MapPost("/pause_generation", (HttpRequest request) => Pause(request.HttpContext, context));
        routes.MapPost("/continue_generation", async () =>
        {
            await context.Worker.ContinueAsync();
            return ApiJson.Ok(new { message = "Generation continued successfully.", status = "ok" });
        });
        routes.MapPost("/v1/load_lora_adapter", (HttpRequest request) => LoadAdapter(request.HttpContext, context));
        routes.MapPost("/v1/unload_lora_adapter", (HttpRequest request) => UnloadAdapter(request.HttpContext, context));
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

    /// <summary>vLLM's contract: {"lora_name", "lora_path", "load_inplace" (default false)} in; 200 with the text
    /// "Success: LoRA adapter 'NAME' added successfully." once requests naming it as their model use it, else an error
    /// (400: a missing field, a name already loaded without load_inplace, a folder that is not a PEFT LoRA adapter of
    /// this model's shape). The adapter (PEFT layout) is read here, and applied to the model between batches.</summary>
    static async Task<IResult> LoadAdapter(HttpContext http, ServeContext context)
    {
        var body = await ApiJson.ReadAsync<LoadLoraBody>(http.Request, context.Options.MaxRequestBytes, http.RequestAborted);
        if (string.IsNullOrEmpty(body.LoraName) || string.IsNullOrEmpty(body.LoraPath))
            throw new ApiException(400, "Both 'lora_name' and 'lora_path' must be provided.");
        if (body.LoraName == context.ModelName) throw ApiException.BadField("lora_name", $"'{body.LoraName}' is the base model's name");
        if (!Directory.Exists(body.LoraPath)) throw ApiException.BadField("lora_path", $"'{body.LoraPath}' is not a folder");
        if (context.Worker.IsClosing) throw ApiException.Closing();
        LoraWeights weights;
        try
        {
            weights = LoraWeights.Read(body.LoraPath);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            throw ApiException.BadField("lora_path", $"is not a LoRA adapter Ispo can load: {e.Message}");
        }
        string? failure = await context.Worker.LoadAdapterAsync(body.LoraName, weights, body.LoadInplace == true);
        if (failure is not null) throw new ApiException(400, $"failed to load the LoRA adapter '{body.LoraName}': {failure}");
        return Results.Text($"Success: LoRA adapter '{body.LoraName}' added successfully.");
    }

    /// <summary>vLLM's contract: {"lora_name"} in; 200 with "Success: LoRA adapter 'NAME' removed successfully.", or 404
    /// when no adapter of that name is loaded.</summary>
    static async Task<IResult> UnloadAdapter(HttpContext http, ServeContext context)
    {
        var body = await ApiJson.ReadAsync<UnloadLoraBody>(http.Request, context.Options.MaxRequestBytes, http.RequestAborted);
        if (string.IsNullOrEmpty(body.LoraName)) throw new ApiException(400, "'lora_name' needs to be provided to unload a LoRA adapter.");
        if (!context.Worker.Adapters.ContainsKey(body.LoraName))
            throw new ApiException(404, $"The lora adapter '{body.LoraName}' cannot be found.", "not_found_error", "model_not_found", "lora_name");
        if (await context.Worker.UnloadAdapterAsync(body.LoraName) is not null) throw ApiException.Closing();
        return Results.Text($"Success: LoRA adapter '{body.LoraName}' removed successfully.");
    }
}

internal sealed record LoadLoraBody
{
    public string? LoraName { get; init; }
    public string? LoraPath { get; init; }
    public bool? LoadInplace { get; init; }
}

internal sealed record UnloadLoraBody
{
    public string? LoraName { get; init; }
    public long? LoraIntId { get; init; }
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
