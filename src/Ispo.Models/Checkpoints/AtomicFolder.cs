// Atomic folders: a folder (a checkpoint, an initial model) appears complete or not at all, and replacing one never
// leaves a moment without a complete copy. The new folder is filled under a temp name and renamed into place; an
// existing one is first renamed to ".old-<name>" and deleted only after the new one is in place. Recover, run before a
// parent's folders are read, finishes or undoes whatever a crash interrupted: temp folders are partial and deleted,
// a retired copy is complete and comes back when its replacement never arrived. Nothing else may write into the parent
// while it recovers.
namespace Ispo.Models.Checkpoints;

public static class AtomicFolder
{
    const string TempPrefix = ".tmp-", OldPrefix = ".old-";

    /// <summary>Creates or replaces <paramref name="target"/> with what <paramref name="writeFiles"/> writes into an
    /// empty temp folder beside it.</summary>
    public static void Publish(string target, Action<string> writeFiles)
    {
        target = Path.GetFullPath(target);
        string parent = Path.GetDirectoryName(target)!, name = Path.GetFileName(target);
        Directory.CreateDirectory(parent);
        string temp = Path.Combine(parent, TempPrefix + name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(temp);
        try { writeFiles(temp); }
        catch { Directory.Delete(temp, recursive: true); throw; }
        CrashPoints.Reach("folder.written");
        string old = Path.Combine(parent, OldPrefix + name);
        if (Directory.Exists(old)) Directory.Delete(old, recursive: true);  // only left when `target` is complete (Recover)
        bool replacing = Directory.Exists(target);
        if (replacing) Directory.Move(target, old);
        CrashPoints.Reach("folder.retired");
        Directory.Move(temp, target);
        CrashPoints.Reach("folder.published");
        if (replacing) Directory.Delete(old, recursive: true);
    }

    /// <summary>Deletes partial folders (and AtomicFile's partial files) under <paramref name="parent"/> and restores a
    /// retired folder whose replacement was never published.</summary>
    public static void Recover(string parent)
    {
        if (!Directory.Exists(parent)) return;
        foreach (string temp in Directory.GetFiles(parent, "*" + AtomicFile.TempInfix + "*"))
            File.Delete(temp);
        foreach (string temp in Directory.GetDirectories(parent, TempPrefix + "*"))
            Directory.Delete(temp, recursive: true);
        foreach (string old in Directory.GetDirectories(parent, OldPrefix + "*"))
            Restore(old, Path.Combine(parent, Path.GetFileName(old)[OldPrefix.Length..]));
    }

    /// <summary>Recover for one folder only: its partial temp copies and its retired copy, nothing else in a parent that
    /// others may write into (a user's output folder beside their own files).</summary>
    public static void RecoverTarget(string target)
    {
        target = Path.GetFullPath(target);
        string parent = Path.GetDirectoryName(target)!, name = Path.GetFileName(target);
        if (!Directory.Exists(parent)) return;
        foreach (string temp in Directory.GetDirectories(parent, TempPrefix + name + "-*"))
            if (Path.GetFileName(temp).Length == TempPrefix.Length + name.Length + 9)    // "-" and the 8 hex digits of Publish
                Directory.Delete(temp, recursive: true);
        string old = Path.Combine(parent, OldPrefix + name);
        if (Directory.Exists(old)) Restore(old, target);
    }

    /// <summary>A retired copy is dropped once its replacement is in place, else it comes back.</summary>
    static void Restore(string old, string target)
    {
        if (Directory.Exists(target)) Directory.Delete(old, recursive: true);
        else Directory.Move(old, target);
    }
}
