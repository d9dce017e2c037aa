// Reads a Hugging Face checkpoint directory: model.safetensors, or shards listed by model.safetensors.index.json.
using System.Text.Json;
using static TorchSharp.torch;

namespace Ispo.Models.Checkpoints;

public sealed class CheckpointReader : IDisposable
{
    readonly Dictionary<string, SafetensorsFile> fileOf; // tensor name → the open file that holds it
    readonly List<SafetensorsFile> files;

    public string Directory { get; }
    public IReadOnlyCollection<string> Names => fileOf.Keys;
    public IReadOnlyList<SafetensorsFile> Files => files;

    CheckpointReader(string directory, List<SafetensorsFile> files, Dictionary<string, SafetensorsFile> fileOf)
    {
        Directory = directory;
        this.files = files;
        this.fileOf = fileOf;
    }

    /// <summary>Opens the checkpoint in <paramref name="dir"/>, preferring model.safetensors over an index (as HF does).</summary>
    public static CheckpointReader Open(string dir)
    {
        string single = Path.Combine(dir, CheckpointFiles.SingleFile);
        if (File.Exists(single))
        {
            var file = SafetensorsFile.Open(single);
            return new CheckpointReader(dir, [file], file.Entries.Keys.ToDictionary(k => k, _ => file, StringComparer.Ordinal));
        }
        string index = Path.Combine(dir, CheckpointFiles.IndexFile);
        if (File.Exists(index)) return OpenSharded(dir, index);
        throw new FileNotFoundException($"{dir}: no {CheckpointFiles.SingleFile} or {CheckpointFiles.IndexFile} found");
    }

    static CheckpointReader OpenSharded(string dir, string indexPath)
    {
        var weightMap = ReadWeightMap(indexPath);
        var opened = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        var fileOf = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        try
        {
            foreach (var (tensor, shard) in weightMap)
            {
                if (!opened.TryGetValue(shard, out var file))
                    opened[shard] = file = SafetensorsFile.Open(Path.Combine(dir, shard));
                if (!file.Entries.ContainsKey(tensor))
                    throw new InvalidDataException($"{indexPath}: weight_map puts '{tensor}' in {shard}, which has no such tensor");
                fileOf[tensor] = file;
            }
            return new CheckpointReader(dir, opened.Values.ToList(), fileOf);
        }
        catch
        {
            foreach (var file in opened.Values) file.Dispose();
            throw;
        }
    }

    static Dictionary<string, string> ReadWeightMap(string indexPath)
    {
        ReadableFile.Check(indexPath, SafetensorsHeader.MaxHeaderBytes);
        JsonDocument document;
        try { document = JsonDocument.Parse(File.ReadAllBytes(indexPath)); }
        catch (JsonException e) { throw new InvalidDataException($"{indexPath}: index is not valid JSON ({e.Message})"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{indexPath}: missing 'weight_map' object");
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var p in map.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String)
                    throw new InvalidDataException($"{indexPath}: weight_map['{p.Name}'] is not a string");
                string shard = p.Value.GetString()!;
                CheckpointFiles.CheckShardName(shard, indexPath, p.Name);
                result[p.Name] = shard;
            }
            return result;
        }
    }

    public SafetensorsEntry Entry(string name) =>
        FileOf(name).Entries[name];

    /// <summary>Reads one tensor, optionally converted to <paramref name="dtype"/>; the caller owns the result.</summary>
    public Tensor Read(string name, ScalarType? dtype = null) => FileOf(name).Read(name, dtype);

    SafetensorsFile FileOf(string name) =>
        fileOf.TryGetValue(name, out var file) ? file : throw new KeyNotFoundException($"{Directory}: checkpoint has no tensor '{name}'");

    public void Dispose()
    {
        foreach (var file in files) file.Dispose();
    }
}
