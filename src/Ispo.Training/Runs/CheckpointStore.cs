// checkpoints/step-N/ folders, each published atomically (AtomicFolder), so the newest folder is the newest complete
// checkpoint; only the last K are kept.
using Ispo.Models.Checkpoints;
using System.Globalization;

namespace Ispo.Training.Runs;

public sealed class CheckpointStore
{
    const string Prefix = "step-";

    public string Root { get; }
    public int KeepLast { get; }

    public CheckpointStore(string root, int keepLast)
    {
        if (keepLast < 1) throw new ArgumentOutOfRangeException(nameof(keepLast), keepLast, "keep at least one checkpoint");
        Root = root;
        KeepLast = keepLast;
        Directory.CreateDirectory(root);
        AtomicFolder.Recover(root);  // an interrupted save: back to the newest complete checkpoints
    }

    /// <summary>
    /// Saves step <paramref name="step"/>: <paramref name="writeFiles"/> fills an empty temp folder; only when it returns
    /// does the folder become <c>step-N</c> (replacing an earlier save of the same step with no moment when neither
    /// is complete), so a failed or interrupted save leaves the previous checkpoint the latest. Returns the folder.
    /// </summary>
    public string Save(int step, Action<string> writeFiles)
    {
        string target = PathOf(step);
        AtomicFolder.Publish(target, writeFiles);
        CrashPoints.Reach("checkpoint.published");
        Prune();
        return target;
    }

    /// <summary>Saved steps, oldest first.</summary>
    public IReadOnlyList<int> Steps() =>
        Directory.GetDirectories(Root, Prefix + "*")
            .Select(d => int.TryParse(Path.GetFileName(d)[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int s) ? s : -1)
            .Where(s => s >= 0).Order().ToArray();

    /// <summary>The newest checkpoint folder; null when none.</summary>
    public string? Latest()
    {
        IReadOnlyList<int> steps = Steps();
        return steps.Count == 0 ? null : PathOf(steps[^1]);
    }

    public string PathOf(int step) => Path.Combine(Root, Prefix + step);

    void Prune()
    {
        IReadOnlyList<int> steps = Steps();
        foreach (int step in steps.Take(Math.Max(0, steps.Count - KeepLast)))
            Directory.Delete(PathOf(step), recursive: true);
    }
}
