// Writes tensors as a Hugging Face checkpoint directory: one model.safetensors, or shards plus an index when the
// total exceeds the shard limit. Every file is written atomically; the index goes last.
using System.Text.Json;
using static TorchSharp.torch;

namespace Ispo.Models.Checkpoints;

public static class CheckpointWriter
{
    /// <summary>HF's default shard size for save_pretrained (5 GB).</summary>
    public const long DefaultMaxShardBytes = 5_000_000_000;

    public static void Save(string dir, IReadOnlyList<(string Name, Tensor Tensor)> tensors,
        long maxShardBytes = DefaultMaxShardBytes)
    {
        if (maxShardBytes <= 0) throw new ArgumentOutOfRangeException(nameof(maxShardBytes), "must be positive");
        System.IO.Directory.CreateDirectory(dir);
        var shards = Split(tensors, maxShardBytes);
        if (shards.Count == 1)
        {
            SafetensorsWriter.Write(Path.Combine(dir, CheckpointFiles.SingleFile), shards[0]);
            File.Delete(Path.Combine(dir, CheckpointFiles.IndexFile)); // a stale index would describe other weights
            return;
        }
        var weightMap = new List<(string Tensor, string Shard)>();
        for (int i = 0; i < shards.Count; i++)
        {
            string shard = CheckpointFiles.ShardName(i, shards.Count);
            SafetensorsWriter.Write(Path.Combine(dir, shard), shards[i]);
            weightMap.AddRange(shards[i].Select(t => (t.Name, shard)));
        }
        File.Delete(Path.Combine(dir, CheckpointFiles.SingleFile)); // the loader prefers it over the index
        long total = tensors.Sum(t => SafetensorsWriter.ByteLength(t.Tensor));
        AtomicFile.WriteAllText(Path.Combine(dir, CheckpointFiles.IndexFile), IndexJson(total, weightMap));
    }

    /// <summary>Greedy split in order; a tensor larger than the limit gets a shard of its own.</summary>
    static List<List<(string Name, Tensor Tensor)>> Split(IReadOnlyList<(string Name, Tensor Tensor)> tensors, long maxShardBytes)
    {
        var shards = new List<List<(string, Tensor)>> { new() };
        long size = 0;
        foreach (var t in tensors)
        {
            long bytes = SafetensorsWriter.ByteLength(t.Tensor);
            if (size > 0 && size + bytes > maxShardBytes)
            {
                shards.Add([]);
                size = 0;
            }
            shards[^1].Add(t);
            size += bytes;
        }
        return shards;
    }

    static string IndexJson(long totalSize, List<(string Tensor, string Shard)> weightMap)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteStartObject("metadata");
            json.WriteNumber("total_size", totalSize);
            json.WriteEndObject();
            json.WriteStartObject("weight_map");
            foreach (var (tensor, shard) in weightMap.OrderBy(w => w.Tensor, StringComparer.Ordinal)) json.WriteString(tensor, shard);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
