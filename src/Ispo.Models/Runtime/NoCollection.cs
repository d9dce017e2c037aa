// A scope in which the .NET GC does not run, for code in which two threads call libtorch at once. TorchSharp passes
// a Scalar's native handle without keeping the managed Scalar alive (no KeepAlive, no SafeHandle), so a collection
// triggered by one thread while another is inside a native call can finalize a temporary Scalar (x.add_(1), x / t)
// that the call is still reading: a use-after-free, seen as "Expected false to be true" from Scalar::toLong. A single
// thread cannot hit it (it does not allocate while inside the call). Opening a region costs a full blocking collection
// (the runtime makes room for the budget first), so a loop of short native calls holds one region across them (Hold)
// rather than opening one per call.
using System.Runtime;

namespace Ispo.Models.Runtime;

public static class NoCollection
{
    /// <summary>Runs <paramref name="body"/> with collections suspended while it allocates less than
    /// <paramref name="budgetBytes"/> (past that the runtime collects anyway, as it must).</summary>
    public static T Run<T>(Func<T> body, long budgetBytes = 128L << 20)
    {
        using Held region = Hold(budgetBytes);
        return body();
    }

    /// <summary>A region held across many short calls, for a loop that calls <see cref="Held.Renew"/> between them,
    /// at points where no thread of ours is inside libtorch: it reopens the region (one collection) only once half of
    /// <paramref name="budgetBytes"/> has been allocated in it, or when the runtime ended it.</summary>
    public static Held Hold(long budgetBytes = 128L << 20) => new(budgetBytes);

    public sealed class Held : IDisposable
    {
        readonly long budget;
        bool started;
        long allocatedAtStart;

        internal Held(long budget)
        {
            this.budget = budget;
            Open();
        }

        /// <summary>Collections reopened so far (tests).</summary>
        public int Reopened { get; private set; }

        public void Renew()
        {
            bool lapsed = started && GCSettings.LatencyMode != GCLatencyMode.NoGCRegion;
            if (!lapsed && (!started || GC.GetTotalAllocatedBytes() - allocatedAtStart < budget / 2)) return;
            Close();
            Open();
            Reopened++;
        }

        void Open()
        {
            started = TryStart(budget);
            allocatedAtStart = GC.GetTotalAllocatedBytes();
        }

        void Close()
        {
            if (started && GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) GC.EndNoGCRegion();
            started = false;
        }

        public void Dispose() => Close();
    }

    static bool TryStart(long budgetBytes)
    {
        if (GCSettings.LatencyMode == GCLatencyMode.NoGCRegion) return false; // nested: the outer region covers it
        try
        {
            return GC.TryStartNoGCRegion(budgetBytes);
        }
        catch (Exception e) when (e is ArgumentOutOfRangeException or InvalidOperationException)
        {
            return false; // a budget larger than this GC allows, or a region already open: run unprotected
        }
    }
}
