// Loads and saves any nn.Module by its state_dict keys in Hugging Face checkpoint layout. Loading checks every key
// first (missing, unexpected, shape mismatches, reported together) and only then copies, converting dtypes.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Models.Checkpoints;

/// <summary>What a load did: keys the module had that the checkpoint lacked, and keys it skipped.</summary>
public sealed record CheckpointLoadReport(int Loaded, IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected);

public sealed class CheckpointMismatchException(
    string dir, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> shapeMismatches)
    : Exception(Describe(dir, missing, unexpected, shapeMismatches))
{
    public IReadOnlyList<string> Missing { get; } = missing;
    public IReadOnlyList<string> Unexpected { get; } = unexpected;
    public IReadOnlyList<string> ShapeMismatches { get; } = shapeMismatches;

    static string Describe(string dir, IReadOnlyList<string> missing, IReadOnlyList<string> unexpected, IReadOnlyList<string> shapes)
    {
        var parts = new List<string>();
        if (missing.Count > 0) parts.Add($"missing keys: {Abridged(missing, ", ")}");
        if (unexpected.Count > 0) parts.Add($"unexpected keys: {Abridged(unexpected, ", ")}");
        if (shapes.Count > 0) parts.Add($"shape mismatches: {Abridged(shapes, "; ")}");
        return $"{dir}: checkpoint does not match the model: {string.Join(" | ", parts)}";
    }

    /// <summary>The first few entries and a count of the rest: a hostile header can name hundreds of thousands of
    /// tensors (the full lists stay on the exception's properties).</summary>
    static string Abridged(IReadOnlyList<string> items, string separator) =>
        string.Join(separator, items.Take(ListedEntries)) + (items.Count > ListedEntries ? $"{separator}… and {items.Count - ListedEntries} more" : "");

    const int ListedEntries = 5;
}

public static class ModuleCheckpoint
{
    const string LmHead = "lm_head.weight";

    /// <summary>
    /// Copies the checkpoint in <paramref name="dir"/> into <paramref name="module"/>'s parameters and buffers,
    /// converting dtypes to the module's. Shape mismatches always fail; missing and unexpected keys fail when
    /// <paramref name="strict"/>. A key whose tensor shares storage with a loaded key (tied embeddings) is not
    /// missing; a checkpoint's lm_head.weight is skipped when the module ties it away, as are rotary inv_freq buffers.
    /// </summary>
    public static CheckpointLoadReport LoadInto(nn.Module module, string dir, bool strict = true)
    {
        using var reader = CheckpointReader.Open(dir);
        return LoadInto(module, reader, strict);
    }

    /// <summary>As <see cref="LoadInto(nn.Module, string, bool)"/>, from a checkpoint already open.</summary>
    public static CheckpointLoadReport LoadInto(nn.Module module, CheckpointReader reader, bool strict = true)
    {
        string dir = reader.Directory;
        var targets = module.state_dict();
        var present = targets.Keys.Where(k => reader.Names.Contains(k)).ToHashSet(StringComparer.Ordinal);
        var loadedStorage = present.Select(k => TensorBytes.DataPointer(targets[k])).OfType<IntPtr>().ToHashSet();
        var missing = targets.Keys.Where(k => !present.Contains(k) && !IsTiedTo(targets[k], loadedStorage)).ToList();
        var unexpected = reader.Names.Where(k => !targets.ContainsKey(k) && !Ignorable(k)).Order(StringComparer.Ordinal).ToList();
        var shapes = present.Where(k => !reader.Entry(k).Shape.SequenceEqual(targets[k].shape))
            .Select(k => $"{k}: checkpoint [{string.Join(",", reader.Entry(k).Shape)}] vs model [{string.Join(",", targets[k].shape)}]")
            .ToList();
        if (shapes.Count > 0 || (strict && (missing.Count > 0 || unexpected.Count > 0)))
            throw new CheckpointMismatchException(dir, missing, unexpected, shapes);
        using (no_grad())
        {
            foreach (string key in present)
            {
                using var source = reader.Read(key);
                targets[key].copy_(source);
            }
        }
        return new CheckpointLoadReport(present.Count, missing, unexpected);
    }

    static bool IsTiedTo(Tensor tensor, HashSet<IntPtr> loaded) => TensorBytes.DataPointer(tensor) is { } p && loaded.Contains(p);

    static bool Ignorable(string key) => key == LmHead || key.EndsWith("rotary_emb.inv_freq", StringComparison.Ordinal);

    /// <summary>
    /// Saves the module's state_dict to <paramref name="dir"/> (sharded past <paramref name="maxShardBytes"/>),
    /// optionally cast to <paramref name="dtype"/>. A tensor sharing storage with an earlier key (tied lm_head) is
    /// written once, under the earlier key, as HF does.
    /// </summary>
    public static void Save(nn.Module module, string dir, long maxShardBytes = CheckpointWriter.DefaultMaxShardBytes,
        ScalarType? dtype = null)
    {
        using var scope = NewDisposeScope();
        var seen = new HashSet<IntPtr>();
        var tensors = new List<(string, Tensor)>();
        foreach (var (name, tensor) in module.state_dict())
        {
            if (TensorBytes.DataPointer(tensor) is { } pointer && !seen.Add(pointer)) continue;
            tensors.Add((name, dtype is { } d && d != tensor.dtype ? tensor.detach().to_type(d) : tensor));
        }
        CheckpointWriter.Save(dir, tensors, maxShardBytes);
    }
}
