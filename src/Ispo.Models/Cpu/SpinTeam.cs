// A fixed team of threads that run one body together and meet at spinning barriers: a decoding step hands work to
// its threads ~40 times (every matmul and every row-wise phase), far too often for a thread-pool hand-off or a
// sleeping wait. Workers sleep between bodies, so an idle team costs no CPU.
namespace Ispo.Models.Cpu;

internal sealed class SpinTeam
{
    static readonly Lock CreateLock = new();
    static readonly Dictionary<int, SpinTeam> Teams = [];

    readonly SemaphoreSlim[] starts;
    Action<int>? body;
    Exception? failure;
    int pending, arrived, generation;

    public int Size { get; }

    SpinTeam(int size)
    {
        Size = size;
        starts = Enumerable.Range(1, size - 1).Select(_ => new SemaphoreSlim(0)).ToArray();
        for (int w = 1; w < size; w++)
        {
            int worker = w;
            new Thread(() => WorkerLoop(worker)) { IsBackground = true, Name = $"ispo-team-{size}-{worker}" }.Start();
        }
    }

    /// <summary>The process-wide team of <paramref name="size"/> threads (the caller counts as one).</summary>
    public static SpinTeam Of(int size)
    {
        size = Math.Max(1, size);
        lock (CreateLock)
        {
            if (!Teams.TryGetValue(size, out SpinTeam? team)) Teams[size] = team = new SpinTeam(size);
            return team;
        }
    }

    /// <summary>Runs body(worker) on every thread of the team, worker 0 on the caller, and returns when all have
    /// finished; the first exception is rethrown. One body at a time per team.</summary>
    public void Run(Action<int> work)
    {
        if (Size == 1)
        {
            work(0);
            return;
        }
        lock (starts)
        {
            (body, failure, pending, arrived) = (work, null, Size - 1, 0);
            foreach (SemaphoreSlim start in starts) start.Release();
            Execute(0);
            var spinner = new SpinWait();
            while (Volatile.Read(ref pending) > 0) spinner.SpinOnce(sleep1Threshold: -1);
            body = null;
            if (failure is not null) throw new AggregateException("a team worker failed", failure);
        }
    }

    /// <summary>Waits until every thread of the team has reached this barrier.</summary>
    public void Barrier()
    {
        if (Size == 1) return;
        int current = Volatile.Read(ref generation);
        if (Interlocked.Increment(ref arrived) == Size)
        {
            Volatile.Write(ref arrived, 0);
            Volatile.Write(ref generation, current + 1);
            return;
        }
        var spinner = new SpinWait();
        while (Volatile.Read(ref generation) == current)
        {
            // a failed worker never arrives: leave instead of waiting for it forever
            if (Volatile.Read(ref failure) is not null) throw new OperationCanceledException("another team worker failed");
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    /// <summary>The share [first, end) of <paramref name="count"/> items that <paramref name="worker"/> takes.</summary>
    public (int First, int End) Share(int worker, int count) => (worker * count / Size, (worker + 1) * count / Size);

    void WorkerLoop(int worker)
    {
        while (true)
        {
            starts[worker - 1].Wait();
            Execute(worker);
            Interlocked.Decrement(ref pending);
        }
    }

    void Execute(int worker)
    {
        try
        {
            body!(worker);
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref failure, e, null);
        }
    }
}
