// Where a command that writes a model folder (`ispo sft`, `ispo model init`, `ispo lora merge`) puts it: published
// atomically (AtomicFolder: complete or not at all, a kill mid-write leaves the previous folder or none, never a partial
// one). An existing --out is replaced when it holds a model (an HF safetensors checkpoint or a PEFT adapter, as an
// earlier run wrote; TRL's save_model overwrites its output_dir too) or is empty; a folder holding anything else, a
// file, or a model the command reads from is refused, named, before any work is spent.
using Ispo.Models.Checkpoints;
using Ispo.Models.Lora;

namespace Ispo.Training.Runs;

public static class ModelOutput
{
    /// <summary>Throws if <paramref name="target"/> may not be written (see the file's header); first brings back a
    /// model folder that a killed replacement had retired.</summary>
    public static void Check(string target, params string[] sources)
    {
        target = Path.GetFullPath(target);
        AtomicFolder.RecoverTarget(target);
        if (File.Exists(target)) throw new ArgumentException($"--out {target} is a file; give a folder for the model.");
        if (!Directory.Exists(target)) return;
        if (sources.FirstOrDefault(source => SamePath(target, source)) is not null)
            throw new ArgumentException($"--out {target} is a model this command reads from; write the result to another folder.");
        if (IsModel(target) || !Directory.EnumerateFileSystemEntries(target).Any()) return;
        string[] entries = [.. Directory.EnumerateFileSystemEntries(target).Select(Path.GetFileName).Order(StringComparer.Ordinal).Take(3)!];
        throw new ArgumentException($"--out {target} is a non-empty folder that holds no model (it has {string.Join(", ", entries)}…); " +
                                    "give a new or empty folder, or a model folder to replace.");
    }

    /// <summary>Checks <paramref name="target"/> again and publishes what <paramref name="writeModel"/> writes into a
    /// fresh folder as <paramref name="target"/>, replacing a model folder there (<paramref name="sources"/>: the models
    /// the command reads, which it must not replace).</summary>
    public static void Publish(string target, Action<string> writeModel, params string[] sources)
    {
        Check(target, sources);
        AtomicFolder.Publish(target, writeModel);
    }

    /// <summary>A safetensors checkpoint (single or sharded) or a PEFT adapter.</summary>
    public static bool IsModel(string dir) => CheckpointFiles.Exists(dir) || PeftAdapter.IsAdapter(dir);

    static bool SamePath(string a, string b) =>
        string.Equals(Path.TrimEndingDirectorySeparator(Path.GetFullPath(a)), Path.TrimEndingDirectorySeparator(Path.GetFullPath(b)),
                      OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase);
}
