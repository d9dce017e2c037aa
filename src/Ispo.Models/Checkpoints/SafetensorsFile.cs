// Reader for one .safetensors file: validates the header on open, then reads tensors on demand.
using static TorchSharp.torch;

namespace Ispo.Models.Checkpoints;

public sealed class SafetensorsFile : IDisposable
{
    readonly FileStream stream;
    readonly Dictionary<string, SafetensorsEntry> entries;

    public string Path { get; }
    public SafetensorsHeader Header { get; }
    public IReadOnlyDictionary<string, SafetensorsEntry> Entries => entries;
    public IReadOnlyDictionary<string, string> Metadata => Header.Metadata;

    SafetensorsFile(string path, FileStream stream, SafetensorsHeader header)
    {
        Path = path;
        this.stream = stream;
        Header = header;
        entries = header.Entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    public static SafetensorsFile Open(string path)
    {
        ReadableFile.Check(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        try { return new SafetensorsFile(path, stream, SafetensorsHeader.Read(stream, path)); }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads one tensor, optionally converted to <paramref name="dtype"/>; the caller owns the result.</summary>
    public Tensor Read(string name, ScalarType? dtype = null)
    {
        if (!entries.TryGetValue(name, out var entry)) throw new KeyNotFoundException($"{Path}: no tensor named '{name}'");
        stream.Position = Header.DataStart + entry.Begin;
        var tensor = TensorBytes.ReadTensor(stream, entry.Shape, entry.Dtype.ToScalarType());
        if (dtype is not { } target || target == tensor.dtype) return tensor;
        using (tensor) return tensor.to_type(target);
    }

    /// <summary>Reads every tensor; the caller owns (and must dispose) the results.</summary>
    public Dictionary<string, Tensor> ReadAll(ScalarType? dtype = null) =>
        Header.Entries.ToDictionary(e => e.Name, e => Read(e.Name, dtype), StringComparer.Ordinal);

    public void Dispose() => stream.Dispose();
}
