// The one thread that touches the model: it drains a queue of requests into Sampler.Generate calls (requests that
// arrive while a batch decodes join the next one) and reloads weights between batches, never during one.
// Not per-step joining: the sampler takes a whole batch per call, so a request waits for the running call to end.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Ispo.Models.Runtime;
using Ispo.Models.Sampling;

namespace Ispo.Serve.Engine;

internal enum EnqueueResult { Accepted, QueueFull, Closed }

internal sealed class BatchWorker : IDisposable
{
    readonly Channel<GenerationJob> incoming = Channel.CreateUnbounded<GenerationJob>(new UnboundedChannelOptions { SingleReader = true });
    readonly ConcurrentQueue<WeightReload> reloads = new();
    readonly List<GenerationJob> pending = []; // taken from the channel, not yet run; worker thread only
    readonly SemaphoreSlim wake = new(0);
    readonly ServeOptions options;
    readonly Random seeds; // worker thread only
    readonly Thread thread;
    volatile ServedModel model;
    volatile bool closing;
    int queued; // accepted and not yet started: the bound on the queue
    long batchesRun;

    public BatchWorker(ServedModel model, ServeOptions options)
    {
        this.model = model;
        this.options = options;
        seeds = new Random(unchecked((int)(options.Seed ?? Random.Shared.NextInt64())));
        thread = new Thread(Loop) { IsBackground = true, Name = "ispo-serve-batches" };
        thread.Start();
    }

    /// <summary>The model requests are encoded for; a reload swaps it between batches.</summary>
    public ServedModel Model => model;
    public bool IsClosing => closing;
    public int Queued => Volatile.Read(ref queued);
    /// <summary>Sampler calls made so far (tests and the load benchmark read it).</summary>
    public long BatchesRun => Interlocked.Read(ref batchesRun);

    public EnqueueResult TryEnqueue(GenerationJob job)
    {
        if (closing) return EnqueueResult.Closed;
        if (Interlocked.Increment(ref queued) > options.MaxQueuedRequests)
        {
            Interlocked.Decrement(ref queued);
            return EnqueueResult.QueueFull;
        }
        if (!incoming.Writer.TryWrite(job))
        {
            Interlocked.Decrement(ref queued);
            return EnqueueResult.Closed;
        }
        wake.Release();
        return EnqueueResult.Accepted;
    }

    /// <summary>Loads <paramref name="dir"/> between batches; null when it serves, else why it failed (the old
    /// weights stay). Requests still queued when it runs are answered by the new weights.</summary>
    public Task<string?> ReloadAsync(string dir)
    {
        var reload = new WeightReload(dir);
        if (closing) reload.Completion.TrySetResult("the server is shutting down");
        else
        {
            reloads.Enqueue(reload);
            wake.Release();
        }
        return reload.Completion.Task;
    }

    /// <summary>Stops taking requests: the running batch finishes and answers its clients, queued ones fail.</summary>
    public void Close()
    {
        closing = true;
        incoming.Writer.TryComplete();
        wake.Release();
    }

    public bool Join(TimeSpan timeout) => thread.Join(timeout);

    void Loop()
    {
        while (true)
        {
            Drain();
            if (reloads.TryDequeue(out WeightReload? reload))
            {
                Reload(reload);
                continue;
            }
            if (closing)
            {
                FailAll();
                return;
            }
            if (pending.Count == 0)
            {
                wake.Wait();
                continue;
            }
            Gather();
            if (closing || !reloads.IsEmpty) continue;
            List<GenerationJob> batch = BatchPlanner.Next(pending, options.MaxBatchRows);
            Interlocked.Add(ref queued, -batch.Count);
            Run(batch);
        }
    }

    void Drain()
    {
        while (incoming.Reader.TryRead(out GenerationJob? job)) pending.Add(job);
    }

    /// <summary>Waits up to the batch window for more requests while the batch is not full. Also after a batch: its
    /// clients resubmit a moment after their answers, and without the wait they would miss the next batch and the
    /// clients would settle into two half-size cohorts taking turns.</summary>
    void Gather()
    {
        if (pending[0].Seed is not null) return; // runs alone anyway
        long deadline = Stopwatch.GetTimestamp() + (long)(options.BatchWindow.TotalSeconds * Stopwatch.Frequency);
        while (!closing && reloads.IsEmpty && pending.Sum(j => j.Rows) < options.MaxBatchRows)
        {
            long left = deadline - Stopwatch.GetTimestamp();
            if (left <= 0) return;
            wake.Wait(TimeSpan.FromSeconds((double)left / Stopwatch.Frequency));
            Drain();
        }
    }

    void Run(List<GenerationJob> batch)
    {
        ServedModel m = model;
        GenerationJob first = batch[0];
        SamplingOptions o = first.Options with
        {
            Seed = first.Seed ?? seeds.NextInt64(),
            EosTokenIds = m.Policy.EosTokenIds,
            Decode = first.Options.StopStrings.Count > 0 ? ids => m.Tokenizer.Decode(ids) : null,
        };
        List<IReadOnlyList<int>> prompts = batch.SelectMany(j => j.Prompts).ToList<IReadOnlyList<int>>();
        try
        {
            // Request threads allocate while this thread is inside libtorch: see NoCollection.
            IReadOnlyList<Sample> samples = NoCollection.Run(() => Sampler.Generate(m.Policy.Model, prompts, o));
            Interlocked.Increment(ref batchesRun);
            int promptOffset = 0;
            foreach (GenerationJob job in batch)
            {
                var mine = samples.Skip(promptOffset * o.SamplesPerPrompt).Take(job.Rows)
                    .Select(s => s with { PromptIndex = s.PromptIndex - promptOffset }).ToList();
                job.Completion.TrySetResult(new JobResult(mine, m.Tokenizer));
                promptOffset += job.Prompts.Count;
            }
        }
        catch (Exception e)
        {
            foreach (GenerationJob job in batch) job.Completion.TrySetException(e);
        }
    }

    void Reload(WeightReload reload)
    {
        try
        {
            ServedModel fresh = NoCollection.Run(() => ServedModel.Load(reload.Directory));
            ServedModel old = model;
            model = fresh;
            old.Dispose();
            reload.Completion.TrySetResult(null);
        }
        catch (Exception e)
        {
            reload.Completion.TrySetResult(e.Message);
        }
    }

    void FailAll()
    {
        Drain();
        foreach (GenerationJob job in pending) job.Completion.TrySetException(new ServerClosingException());
        Interlocked.Add(ref queued, -pending.Count);
        pending.Clear();
        while (reloads.TryDequeue(out WeightReload? reload)) reload.Completion.TrySetResult("the server is shutting down");
    }

    public void Dispose()
    {
        Close();
        thread.Join();
        model.Dispose();
        wake.Dispose();
    }
}
