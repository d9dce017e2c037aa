// Parses and validates a safetensors header: `u64 length | JSON | data`. Every check names the file and the
// tensor/field, so a corrupted or hostile file fails with a clear message before any tensor is allocated.
using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Unicode;

namespace Ispo.Models.Checkpoints;

/// <summary>One tensor's header entry; Begin/End are byte offsets into the data region (after the header).</summary>
public sealed record SafetensorsEntry(string Name, SafetensorsDtype Dtype, long[] Shape, long Begin, long End)
{
    public long ByteLength => End - Begin;
    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);
}

public sealed record SafetensorsHeader(
    IReadOnlyList<SafetensorsEntry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataStart)
{
    /// <summary>Headers larger than this are refused (the reference implementation uses the same limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    /// <summary>Reads the header from the start of <paramref name="stream"/> and validates it against the stream length.</summary>
    public static SafetensorsHeader Read(Stream stream, string file)
    {
        long fileLength = stream.Length;
        if (fileLength < 8) throw Bad(file, $"file is {fileLength} bytes, shorter than the 8-byte header length");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.Position = 0;
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(lengthBytes);
        if (headerLength > MaxHeaderBytes)
            throw Bad(file, $"header length {headerLength} exceeds the limit of {MaxHeaderBytes} bytes");
        if ((long)headerLength > fileLength - 8)
            throw Bad(file, $"header length {headerLength} runs past the end of the file ({fileLength} bytes; truncated?)");
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        long dataStart = 8 + (long)headerLength;
        return Parse(json, fileLength - dataStart, dataStart, file);
    }

    /// <summary>Parses the JSON header and checks every entry against a data region of <paramref name="dataLength"/> bytes.</summary>
    public static SafetensorsHeader Parse(ReadOnlySpan<byte> json, long dataLength, long dataStart, string file)
    {
        if (!Utf8.IsValid(json)) throw Bad(file, "header is not valid UTF-8");
        JsonDocument document;
        try { document = JsonDocument.Parse(json.ToArray()); }
        catch (JsonException e) { throw Bad(file, $"header is not valid JSON ({e.Message})"); }
        using (document)
        {
            try { return ParseDocument(document, dataLength, dataStart, file); }
            catch (Exception e) when (e is InvalidOperationException or ArgumentException)
            {
                throw Bad(file, $"header JSON is malformed ({e.Message})"); // e.g. a string with an invalid escape
            }
        }
    }

    static SafetensorsHeader ParseDocument(JsonDocument document, long dataLength, long dataStart, string file)
    {
        if (document.RootElement.ValueKind != JsonValueKind.Object) throw Bad(file, "header JSON is not an object");
        var entries = new List<SafetensorsEntry>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (!names.Add(property.Name)) throw Bad(file, $"key '{property.Name}' appears twice");
            if (property.Name == "__metadata__") ReadMetadata(property.Value, metadata, file);
            else entries.Add(ReadEntry(property.Name, property.Value, file));
        }
        CheckLayout(entries, dataLength, file);
        return new SafetensorsHeader(entries, metadata, dataStart);
    }

    static void ReadMetadata(JsonElement value, Dictionary<string, string> metadata, string file)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Bad(file, "__metadata__ is not an object");
        foreach (var p in value.EnumerateObject())
        {
            if (p.Value.ValueKind != JsonValueKind.String) throw Bad(file, $"__metadata__.{p.Name} is not a string");
            metadata[p.Name] = p.Value.GetString()!;
        }
    }

    static SafetensorsEntry ReadEntry(string name, JsonElement value, string file)
    {
        if (value.ValueKind != JsonValueKind.Object) throw Bad(file, $"tensor '{name}': entry is not an object");
        string dtypeName = Field(value, "dtype", JsonValueKind.String, name, file).GetString()!;
        var dtype = SafetensorsDtypes.TryParse(dtypeName)
            ?? throw Bad(file, $"tensor '{name}': unknown dtype '{dtypeName}' (expected one of {string.Join(", ", Enum.GetNames<SafetensorsDtype>())})");
        long[] shape = Integers(Field(value, "shape", JsonValueKind.Array, name, file), name, "shape", file);
        long[] offsets = Integers(Field(value, "data_offsets", JsonValueKind.Array, name, file), name, "data_offsets", file);
        if (offsets.Length != 2) throw Bad(file, $"tensor '{name}': data_offsets has {offsets.Length} values, expected 2");
        if (offsets[1] < offsets[0]) throw Bad(file, $"tensor '{name}': data_offsets [{offsets[0]}, {offsets[1]}] end before they begin");
        long expected = ExpectedBytes(shape, dtype, name, file);
        if (offsets[1] - offsets[0] != expected)
            throw Bad(file, $"tensor '{name}': data_offsets span {offsets[1] - offsets[0]} bytes but shape [{string.Join(",", shape)}] of {dtype} needs {expected}");
        return new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    static JsonElement Field(JsonElement entry, string field, JsonValueKind kind, string name, string file)
    {
        if (!entry.TryGetProperty(field, out var value)) throw Bad(file, $"tensor '{name}': missing field '{field}'");
        if (value.ValueKind != kind) throw Bad(file, $"tensor '{name}': field '{field}' is {value.ValueKind}, expected {kind}");
        return value;
    }

    static long[] Integers(JsonElement array, string name, string field, string file)
    {
        var values = new long[array.GetArrayLength()];
        int i = 0;
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out long v) || v < 0)
                throw Bad(file, $"tensor '{name}': {field}[{i}] is not a non-negative integer");
            values[i++] = v;
        }
        return values;
    }

    static long ExpectedBytes(long[] shape, SafetensorsDtype dtype, string name, string file)
    {
        try { return checked(shape.Aggregate(1L, (a, b) => checked(a * b)) * dtype.ElementSize()); }
        catch (OverflowException) { throw Bad(file, $"tensor '{name}': shape [{string.Join(",", shape)}] overflows"); }
    }

    /// <summary>Tensors must tile the data region exactly: sorted by offset, no gaps, no overlaps, nothing past the end.</summary>
    static void CheckLayout(List<SafetensorsEntry> entries, long dataLength, string file)
    {
        long position = 0;
        string previous = "(start of data)";
        foreach (var e in entries.OrderBy(e => e.Begin).ThenBy(e => e.End))
        {
            if (e.Begin < position) throw Bad(file, $"tensor '{e.Name}': data_offsets [{e.Begin}, {e.End}] overlap tensor '{previous}'");
            if (e.Begin > position) throw Bad(file, $"tensor '{e.Name}': data_offsets begin at {e.Begin}, leaving a gap after '{previous}' (expected {position})");
            if (e.End > dataLength)
                throw Bad(file, $"tensor '{e.Name}': data_offsets end at {e.End}, past the data region of {dataLength} bytes (file truncated?)");
            position = e.End;
            previous = e.Name;
        }
        if (position != dataLength)
            throw Bad(file, $"data region is {dataLength} bytes but the tensors cover {position} (trailing bytes after '{previous}')");
    }

    static InvalidDataException Bad(string file, string what) => new($"{file}: invalid safetensors: {what}");
}
