// What the endpoints share: the options, the batch worker, and how a job's outcome becomes an answer or an error.
using Ispo.Serve.Api;
using Ispo.Serve.Engine;

namespace Ispo.Serve.Endpoints;

internal sealed class ServeContext(ServeOptions options, BatchWorker worker)
{
    public ServeOptions Options { get; } = options;
    public BatchWorker Worker { get; } = worker;
    public string ModelName { get; } = options.ModelName;

    /// <summary>Requests may leave the model out; one that names another model is refused as vLLM does (404).</summary>
    public void CheckModel(string? requested)
    {
        if (requested is not null && requested != ModelName)
            throw new ApiException(404, $"the model '{requested}' does not exist; this server serves '{ModelName}'", "not_found_error", "model_not_found", "model");
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
        catch (ArgumentException e)
        {
            throw new ApiException(400, e.Message);
        }
    }
}
