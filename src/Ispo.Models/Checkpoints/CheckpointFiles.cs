// The file names of a Hugging Face safetensors checkpoint directory.
namespace Ispo.Models.Checkpoints;

public static class CheckpointFiles
{
    public const string SingleFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    /// <summary>HF's shard naming: model-00001-of-00003.safetensors.</summary>
    public static string ShardName(int index, int count) => $"model-{index + 1:D5}-of-{count:D5}.safetensors";

    /// <summary>True when <paramref name="dir"/> holds a single-file or sharded safetensors checkpoint.</summary>
    public static bool Exists(string dir) =>
        File.Exists(Path.Combine(dir, SingleFile)) || File.Exists(Path.Combine(dir, IndexFile));

    /// <summary>A shard name from an index must be a plain file name inside the checkpoint directory.</summary>
    public static void CheckShardName(string name, string indexPath, string tensor)
    {
        bool plain = name.Length > 0 && name.IndexOfAny(['/', '\\', ':', '\0']) < 0 && name != "." && !name.Contains("..");
        if (!plain)
            throw new InvalidDataException($"{indexPath}: weight_map['{tensor}'] names shard '{name}', which is not a plain file name (no path separators or '..')");
    }
}
