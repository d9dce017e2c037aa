// Copies tensors saved under names into the tensors something holds under the same names (LoRA adapters, fp32 master
// weights): every name and shape is checked first, missing, unexpected and mismatched reported together, and only then
// is anything read and copied, so a file that does not match leaves the targets as they were.
using static TorchSharp.torch;

namespace Ispo.Models.Checkpoints;

public static class NamedTensorCopy
{
    /// <param name="path">The file, named in the error.</param>
    /// <param name="targets">The tensors to fill, by saved name.</param>
    /// <param name="shapes">The saved tensors' shapes, by name (from the file's header: nothing read yet).</param>
    /// <param name="read">Reads a saved tensor in the given dtype.</param>
    public static void Into(string path, IReadOnlyDictionary<string, Tensor> targets, IReadOnlyDictionary<string, long[]> shapes,
        Func<string, ScalarType?, Tensor> read)
    {
        var missing = targets.Keys.Where(k => !shapes.ContainsKey(k)).ToList();
        var unexpected = shapes.Keys.Where(k => !targets.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        var mismatched = targets.Where(t => shapes.TryGetValue(t.Key, out long[]? shape) && !shape.SequenceEqual(t.Value.shape))
            .Select(t => $"{t.Key}: file [{string.Join(",", shapes[t.Key])}] vs model [{string.Join(",", t.Value.shape)}]").ToList();
        if (missing.Count > 0 || unexpected.Count > 0 || mismatched.Count > 0) throw new CheckpointMismatchException(path, missing, unexpected, mismatched);
        using var _ = no_grad();
        foreach ((string key, Tensor target) in targets)
        {
            using Tensor source = read(key, target.dtype);
            target.copy_(source);
        }
    }
}
