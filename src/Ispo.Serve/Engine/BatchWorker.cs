// The one thread that touches the model: it drains a queue of requests into decode batches, and between batches, never
// during one, reloads weights and pauses or resumes as SGLang's /pause_generation and /continue_generation ask.
// Seedless requests are batched continuously: they join the running decode batch at a step boundary (DecodeBatch.Join)
// and are answered as soon as their own rows finish; a seeded request runs alone, as Sampler.Generate over its prompts.
// LoRA adapters are loaded and unloaded between batches too; a batch runs on the base model or on one adapter.
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Ispo.Models;
using Ispo.Models.Lora;
using Ispo.Models.Runtime;
using Ispo.Models.Sampling;

namespace Ispo.Serve.Engine;

internal enum EnqueueResult { Accepted, QueueFull, Closed }

internal sealed class BatchWorker : IDisposable
{
    readonly Channel<GenerationJob> incoming = Channel.CreateUnbounded<GenerationJob>(new UnboundedChannelOptions { SingleReader = true });
    readonly ConcurrentQueue<WorkerCommand> commands = new();
    readonly ConcurrentDictionary<string, LoraWeights> adapters = new(StringComparer.Ordinal); // written by the worker thread only
    readonly List<GenerationJob> pending = []; // taken from the channel, not yet run; worker thread only
    readonly SemaphoreSlim wake = new(0);
    readonly ServeOptions options;
    readonly Random seeds; // worker thread only
    readonly Thread thread;
    volatile ServedModel model;
    volatile bool closing;
    bool paused; // worker thread only
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
    /// <summary>The LoRA adapters loaded, by name: a request names one as its model.</summary>
    public IReadOnlyDictionary<string, LoraWeights> Adapters => adapters;
    /// <summary>Decode batches started so far (tests and the load benchmark read it).</summary>
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
    public Task<string?> ReloadAsync(string dir) => Command(() => Reload(dir));

    /// <summary>Serves <paramref name="weights"/> as <paramref name="name"/> from the next batch on (vLLM's load_lora_adapter);
    /// null when it serves, else why not (the weights are then disposed). A loaded name is replaced only
    /// <paramref name="inPlace"/>; queued requests naming it then run on the new weights.</summary>
    public Task<string?> LoadAdapterAsync(string name, LoraWeights weights, bool inPlace) => Command(() => LoadAdapter(name, weights, inPlace));

    /// <summary>Stops serving the adapter <paramref name="name"/>; requests still queued for it fail (404).</summary>
    public Task<string?> UnloadAdapterAsync(string name) => Command(() =>
    {
        if (adapters.TryRemove(name, out LoraWeights? weights))
        {
            model.Forget(weights);
            weights.Dispose();
        }
        return null;
    });

    /// <summary>Returns once the running batch (if any) has ended; no batch starts until <see cref="ContinueAsync"/>.
    /// With <paramref name="abortQueued"/> (SGLang's default "abort" mode) the queued requests fail, else they wait.</summary>
    public Task<string?> PauseAsync(bool abortQueued) => Command(() =>
    {
        paused = true;
        if (abortQueued) Fail(new JobAbortedException());
        return null;
    });

    public Task<string?> ContinueAsync() => Command(() =>
    {
        paused = false;
        return null;
    });

    Task<string?> Command(Func<string?> run)
    {
        var command = new WorkerCommand(run);
        if (closing) command.Completion.TrySetResult("the server is shutting down");
        else
        {
            commands.Enqueue(command);
            wake.Release();
        }
        return command.Completion.Task;
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
            if (commands.TryDequeue(out WorkerCommand? command))
            {
                command.Run();
                continue;
            }
            if (closing)
            {
                FailAll();
                return;
            }
            if (pending.Count == 0 || paused)
            {
                wake.Wait();
                continue;
            }
            Gather();
            if (closing || !commands.IsEmpty) continue;
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
        while (!closing && commands.IsEmpty && pending.Sum(j => j.Rows) < options.MaxBatchRows)
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
        LoraWeights? adapter = null;
        if (first.Adapter is { } name && !adapters.TryGetValue(name, out adapter))
        {
            foreach (GenerationJob job in batch) job.Completion.TrySetException(new AdapterGoneException(name));
            return;
        }
        SamplingOptions o = first.Options with
        {
            Seed = first.Seed ?? seeds.NextInt64(),
            EosTokenIds = m.Policy.EosTokenIds,
            Decode = first.Options.StopStrings.Count > 0 ? ids => m.Tokenizer.Decode(ids) : null,
        };
        var running = new List<(GenerationJob Job, int FirstRow)>();
        try
        {
            // Request threads allocate while this thread is inside libtorch: see NoCollection.
            CausalLM target = NoCollection.Run(() => m.For(adapter));
            if (first.Seed is not null)
            {
                // a seeded request runs alone, as Sampler.Generate over its own prompts
                IReadOnlyList<Sample> samples = NoCollection.Run(() => Sampler.Generate(target, first.Prompts.ToList<IReadOnlyList<int>>(), o));
                Interlocked.Increment(ref batchesRun);
                first.Completion.TrySetResult(new JobResult(samples, m.Tokenizer));
                return;
            }
            Decode(batch, running, target, o, m);
        }
        catch (Exception e)
        {
            foreach (GenerationJob job in batch.Concat(running.Select(r => r.Job))) job.Completion.TrySetException(e);
        }
    }

    /// <summary>Continuous batching: the jobs decode as one batch, a token per step; each job is answered as soon as its
    /// rows have finished, and at every step boundary the waiting jobs that can share the batch (seedless, the same key,
    /// in arrival order up to the first that cannot) join it while the live rows fit (BatchPlanner.Joining). No job joins
    /// once a command waits (the batch then drains, and the command runs after it).</summary>
    void Decode(List<GenerationJob> jobs, List<(GenerationJob Job, int FirstRow)> running, CausalLM target, SamplingOptions o, ServedModel m)
    {
        int rows = 0;
        foreach (GenerationJob job in jobs)
        {
            running.Add((job, rows));
            rows += job.Rows;
        }
        List<IReadOnlyList<int>> Prompts(IEnumerable<GenerationJob> js) => js.SelectMany(j => j.Prompts).ToList<IReadOnlyList<int>>();
        // one region held across the batch's steps: opening one costs a full collection, and a step of a small model is
        // a millisecond or two
        using NoCollection.Held region = NoCollection.Hold();
        using DecodeBatch decode = DecodeBatch.Start(target, Prompts(jobs), o);
        Interlocked.Increment(ref batchesRun);
        BatchKey key = jobs[0].Key;
        while (true)
        {
            region.Renew();
            bool more = decode.Step();
            foreach (var done in running.Where(r => Enumerable.Range(r.FirstRow, r.Job.Rows).All(decode.IsFinished)).ToList())
            {
                int[] its = [.. Enumerable.Range(done.FirstRow, done.Job.Rows)];
                var samples = its.Select(row => decode.SampleOf(row) with { PromptIndex = (row - done.FirstRow) / o.SamplesPerPrompt }).ToList();
                done.Job.Completion.TrySetResult(new JobResult(samples, m.Tokenizer));
                foreach (int row in its) decode.Release(row);
                running.Remove(done);
            }
            if (!more) return;
            Drain();
            if (closing || !commands.IsEmpty) continue;
            List<GenerationJob> joining = BatchPlanner.Joining(pending, key, decode.LiveRows, options.MaxBatchRows);
            if (joining.Count == 0) continue;
            Interlocked.Add(ref queued, -joining.Count);
            region.Renew();
            int firstRow = decode.Join(Prompts(joining));
            foreach (GenerationJob job in joining)
            {
                running.Add((job, firstRow));
                firstRow += job.Rows;
            }
        }
    }

    string? LoadAdapter(string name, LoraWeights weights, bool inPlace)
    {
        adapters.TryGetValue(name, out LoraWeights? old);
        string? why = old is not null && !inPlace
            ? $"The lora adapter '{name}' has already been loaded. If you want to load the adapter in place, set 'load_inplace' to True."
            : model.CannotServe(weights.Options);
        // adapters of another shape need a fresh base model: fine once no other adapter is served
        if (why is not null && (old is null || inPlace) && model.HasSlot && adapters.Keys.All(k => k == name)) why = Reload(model.Policy.Directory);
        if (why is null)
            try
            {
                NoCollection.Run(() => model.For(weights)); // checks every tensor against the model, and leaves it in the slot
            }
            catch (Exception e)
            {
                why = e.Message;
            }
        if (why is not null)
        {
            weights.Dispose();
            return why;
        }
        adapters[name] = weights;
        if (old is not null)
        {
            model.Forget(old);
            old.Dispose();
        }
        return null;
    }

    string? Reload(string dir)
    {
        ServedModel fresh = NoCollection.Run(() => ServedModel.Load(dir, options.CpuKernels));
        ServedModel old = model;
        model = fresh;
        old.Dispose();
        return null;
    }

    void FailAll()
    {
        Fail(new ServerClosingException());
        while (commands.TryDequeue(out WorkerCommand? command)) command.Completion.TrySetResult("the server is shutting down");
    }

    /// <summary>Fails every queued job (worker thread).</summary>
    void Fail(Exception why)
    {
        Drain();
        foreach (GenerationJob job in pending) job.Completion.TrySetException(why);
        Interlocked.Add(ref queued, -pending.Count);
        pending.Clear();
    }

    public void Dispose()
    {
        Close();
        thread.Join();
        model.Dispose();
        foreach (LoraWeights weights in adapters.Values) weights.Dispose();
        wake.Dispose();
    }
}
