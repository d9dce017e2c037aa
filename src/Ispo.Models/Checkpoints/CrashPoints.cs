// Named points where the crash test kills the process, so that every moment of a write can be reached on purpose
// rather than by luck. ISPO_CRASH_AT="name" or "name#k" kills the process (SIGKILL: no finally blocks, no flushes)
// the k-th time (default: the first) execution reaches that point; unset, reaching a point does nothing.
using System.Diagnostics;
using System.Globalization;

namespace Ispo.Models.Checkpoints;

public static class CrashPoints
{
    public const string Variable = "ISPO_CRASH_AT";

    static readonly (string Name, int Hit)? Target = Parse(Environment.GetEnvironmentVariable(Variable));
    static int hits;

    /// <summary>Kills the process here if this is the configured point and hit.</summary>
    public static void Reach(string name)
    {
        if (IsDue(name)) Kill();
    }

    /// <summary>True (once) when the process is to die at this point; the caller may leave a partial write first,
    /// then calls <see cref="Kill"/>.</summary>
    public static bool IsDue(string name) =>
        Target is { } target && target.Name == name && Interlocked.Increment(ref hits) == target.Hit;

    public static void Kill()
    {
        Process.GetCurrentProcess().Kill();
        Thread.Sleep(Timeout.Infinite);  // SIGKILL is asynchronous: never run another line
    }

    static (string, int)? Parse(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        int hash = value.IndexOf('#');
        if (hash < 0) return (value, 1);
        return int.TryParse(value[(hash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int hit) && hit > 0
            ? (value[..hash], hit)
            : throw new ArgumentException($"{Variable}: expected 'name' or 'name#k' with k ≥ 1, got '{value}'");
    }
}
