// Opens a dataset file by its extension: JSON Lines, a JSON array, or Parquet as Hugging Face publishes them.
namespace Ispo.Training.Data;

public static class DatasetFile
{
    public static readonly IReadOnlyList<string> Extensions = [".jsonl", ".json", ".parquet"];

    public static IEnumerable<DatasetRow> ReadRows(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"dataset file not found: {path}", path);
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".jsonl" or ".ndjson" => JsonLinesReader.Read(path),
            ".json" => StartsWithArray(path) ? JsonLinesReader.ReadArray(path) : JsonLinesReader.Read(path),
            ".parquet" => ParquetRowReader.Read(path),
            string other => throw new DatasetFormatException(
                $"{path}: unsupported dataset extension '{other}' (expected .jsonl, .json or .parquet)"),
        };
    }

    /// <summary>Some repos publish ".json" files that are really JSON Lines; an array starts with '['.</summary>
    static bool StartsWithArray(string path)
    {
        using var reader = new StreamReader(path);
        int c;
        while ((c = reader.Read()) >= 0 && char.IsWhiteSpace((char)c)) { }
        return c == '[';
    }
}
