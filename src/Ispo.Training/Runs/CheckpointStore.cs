// checkpoints/step-N/ folders: written into a temp folder then renamed, a `latest` pointer, only the last K kept.
using Ispo.Models.Checkpoints;
using System.Globalization;

namespace Ispo.Training.Runs;

public sealed class CheckpointStore
{
    const string Prefix = "step-";
    const string TempPrefix = ".tmp-";
    public const string LatestFile = "latest";

    public string Root { get; }
    public int KeepLast { get; }

    public CheckpointStore(string root, int keepLast)
    {
        if (keepLast < 1) throw new ArgumentOutOfRangeException(nameof(keepLast), keepLast, "keep at least one checkpoint");
        Root = root;
        KeepLast = keepLast;
        Directory.CreateDirectory(root);
        foreach (string leftover in Directory.GetDirectories(root, TempPrefix + "*"))
            Directory.Delete(leftover, recursive: true);  // an interrupted save; the previous checkpoint is intact
    }

    /// <summary>
    /// Saves step <paramref name="step"/>: <paramref name="writeFiles"/> fills an empty temp folder; only when it returns
    /// is the folder renamed to <c>step-N</c> and <c>latest</c> moved to it, so a failed or interrupted save leaves the
    /// previous checkpoint as the latest. Returns the checkpoint folder.
    /// </summary>
    public string Save(int step, Action<string> writeFiles)
    {
        string temp = Path.Combine(Root, TempPrefix + Prefix + step + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(temp);
        try { writeFiles(temp); }
        catch { Directory.Delete(temp, recursive: true); throw; }
        string target = PathOf(step);
        if (Directory.Exists(target))  // re-saving a step (after a resume): move the old one aside first
        {
            string old = Path.Combine(Root, TempPrefix + "old-" + Guid.NewGuid().ToString("N")[..8]);
            Directory.Move(target, old);
            Directory.Move(temp, target);
            Directory.Delete(old, recursive: true);
        }
        else Directory.Move(temp, target);
        AtomicFile.WriteAllText(Path.Combine(Root, LatestFile), Prefix + step + "\n");
        Prune();
        return target;
    }

    /// <summary>Saved steps, oldest first.</summary>
    public IReadOnlyList<int> Steps() =>
        Directory.GetDirectories(Root, Prefix + "*")
            .Select(d => int.TryParse(Path.GetFileName(d)[Prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out int s) ? s : -1)
            .Where(s => s >= 0).Order().ToArray();

    /// <summary>The folder <c>latest</c> points to (or the highest step when the pointer is missing); null when none.</summary>
    public string? Latest()
    {
        string pointer = Path.Combine(Root, LatestFile);
        if (File.Exists(pointer))
        {
            string dir = Path.Combine(Root, File.ReadAllText(pointer).Trim());
            if (Directory.Exists(dir)) return dir;
        }
        IReadOnlyList<int> steps = Steps();
        return steps.Count == 0 ? null : PathOf(steps[^1]);
    }

    public string PathOf(int step) => Path.Combine(Root, Prefix + step);

    void Prune()
    {
        IReadOnlyList<int> steps = Steps();
        string? latest = Latest();
        foreach (int step in steps.Take(Math.Max(0, steps.Count - KeepLast)))
            if (PathOf(step) != latest) Directory.Delete(PathOf(step), recursive: true);
    }
}
