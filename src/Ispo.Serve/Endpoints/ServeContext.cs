// What the endpoints share: the options, the batch worker, and how a job's outcome becomes an answer or an error.
using Ispo.Serve.Api;
using Ispo.Serve.Engine;

namespace Ispo.Serve.Endpoints;

internal sealed class ServeContext(ServeOptions options, BatchWorker worker)
{
    public ServeOptions Options { get; } = options;
    public BatchWorker Worker { get; } = worker;
    public string ModelName { get; } = options.ModelName;

    /// <summary>The LoRA adapter a request's model names, or null for the base model (named, or left out); any other
    /// name is refused as vLLM does (404).</summary>
    public string? AdapterOf(string? requested)
    {
        if (requested is null || requested == ModelName) return null;
        if (Worker.Adapters.ContainsKey(requested)) return requested;
        string adapters = Worker.Adapters.Count == 0 ? "" : $" and the LoRA adapters {string.Join(", ", Worker.Adapters.Keys.Order(StringComparer.Ordinal).Select(k => $"'{k}'"))}";
        throw new ApiException(404, $"the model '{requested}' does not exist; this server serves '{ModelName}'{adapters}", "not_found_error", "model_not_found", "model");
    }

    /// <summary>Queues the job and waits for its batch: 429 when the queue is full, 503 once the server is stopping.</summary>
    public async Task<JobResult> RunAsync(GenerationJob job, CancellationToken cancel)
    {
        switch (Worker.TryEnqueue(job))
        {
            case EnqueueResult.QueueFull: throw ApiException.QueueFull(Options.MaxQueuedRequests);
            case EnqueueResult.Closed: throw ApiException.Closing();
        }
        try
        {
            // A client that hangs up stops waiting; its rows still decode with the batch they joined.
            return await job.Completion.Task.WaitAsync(cancel);
        }
        catch (ServerClosingException)
        {
            throw ApiException.Closing();
        }
        catch (JobAbortedException e)
        {
            throw new ApiException(503, e.Message, "server_error", "aborted");
        }
        catch (AdapterGoneException e)
        {
            throw new ApiException(404, e.Message, "not_found_error", "model_not_found", "model");
        }
        catch (ArgumentException e)
        {
            throw new ApiException(400, e.Message);
        }
    }
}
