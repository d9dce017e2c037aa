// OpenAI's routes: /v1/models, /v1/completions, /v1/chat/completions.
using Ispo.Models.Chat;
using Ispo.Models.Sampling;
using Ispo.Serve.Api;
using Ispo.Serve.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Ispo.Serve.Endpoints;

internal static class OpenAiEndpoints
{
    /// <summary>OpenAI's default max_tokens for completions.</summary>
    public const int DefaultCompletionTokens = 16;

    public static void Map(IEndpointRouteBuilder routes, ServeContext context)
    {
        long created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // As vLLM: the base model, then each LoRA adapter with its folder as root and the base model as parent.
        routes.MapGet("/v1/models", () => ApiJson.Ok(new
        {
            @object = "list",
            data = new[]
            {
                new ModelCard(context.ModelName, "model", created, "ispo", context.Options.ModelDir, null, context.Worker.Model.MaxPositions),
            }.Concat(context.Worker.Adapters.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a =>
                new ModelCard(a.Key, "model", created, "ispo", a.Value.Directory, context.ModelName, context.Worker.Model.MaxPositions))),
        }));
        routes.MapPost("/v1/completions", (HttpRequest request) => Completions(request.HttpContext, context));
        routes.MapPost("/v1/chat/completions", (HttpRequest request) => Chat(request.HttpContext, context));
    }

    static async Task<IResult> Completions(HttpContext http, ServeContext context)
    {
        var body = await ApiJson.ReadAsync<CompletionBody>(http.Request, context.Options.MaxRequestBytes, http.RequestAborted);
        string? adapter = context.AdapterOf(body.Model);
        ServedModel model = context.Worker.Model;
        IReadOnlyList<int[]> prompts = body.PromptIds(model.Tokenizer);
        SamplingOptions options = body.ToOptions(prompts.Select(p => p.Length).ToList(), model.MaxPositions, context.Options.MaxBatchRows,
            DefaultCompletionTokens, []);
        JobResult result = await context.RunAsync(new GenerationJob(prompts, options, body.Seed, adapter), http.RequestAborted);
        return ApiJson.Ok(CompletionResponse.Build(adapter ?? context.ModelName, prompts, result, options.StopStrings, body.Logprobs is not null,
            body.ReturnTokenIds == true));
    }

    static async Task<IResult> Chat(HttpContext http, ServeContext context)
    {
        var body = await ApiJson.ReadAsync<ChatBody>(http.Request, context.Options.MaxRequestBytes, http.RequestAborted);
        string? adapter = context.AdapterOf(body.Model);
        ServedModel model = context.Worker.Model;
        int[] prompt = model.Chat.Encode(model.Tokenizer, body.ChatMessages());
        if (prompt.Length == 0) throw ApiException.BadField("messages", "encode to no tokens");
        // As vLLM: without max_tokens a reply may fill the rest of the context.
        SamplingOptions options = body.ToOptions([prompt.Length], model.MaxPositions, context.Options.MaxBatchRows,
            Math.Max(1, model.MaxPositions - prompt.Length), model.Chat.StopStrings);
        JobResult result = await context.RunAsync(new GenerationJob([prompt], options, body.Seed, adapter), http.RequestAborted);
        return ApiJson.Ok(ChatResponse.Build(adapter ?? context.ModelName, prompt, result, options.StopStrings, body.Logprobs == true,
            body.TopLogprobs ?? 0, body.ReturnTokenIds == true));
    }
}

/// <summary>One entry of /v1/models: vLLM's fields (parent is the base model of a LoRA adapter).</summary>
internal sealed record ModelCard(string Id, string Object, long Created, string OwnedBy, string Root, string? Parent, int MaxModelLen);
