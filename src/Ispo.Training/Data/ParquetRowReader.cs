// Reads a Parquet file (as Hugging Face datasets publish them) into raw JSON rows, keeping lists and structs.
using System.Collections;
using System.Text.Json.Nodes;
using Parquet.Serialization;

namespace Ispo.Training.Data;

public static class ParquetRowReader
{
    public static IEnumerable<DatasetRow> Read(string path)
    {
        IList<Dictionary<string, object>> rows = ReadUntyped(path);
        for (int i = 0; i < rows.Count; i++)
        {
            var row = new JsonObject();
            foreach ((string key, object value) in rows[i])
                row[key] = ToJson(value);
            yield return new DatasetRow(row, $"{path} row {i + 1}");
        }
    }

    static IList<Dictionary<string, object>> ReadUntyped(string path)
    {
        try
        {
            using FileStream stream = File.OpenRead(path);
            var result = ParquetSerializer.DeserializeUntypedAsync(stream).GetAwaiter().GetResult();
            return result.Data;
        }
        catch (Exception e) when (e is not FileNotFoundException)
        {
            throw new DatasetFormatException($"{path}: not a readable Parquet file ({e.Message})", e);
        }
    }

    /// <summary>Parquet values (primitives, lists, structs as dictionaries) to JSON nodes.</summary>
    static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        ReadOnlyMemory<char> chars => JsonValue.Create(chars.ToString()),
        bool b => JsonValue.Create(b),
        byte[] bytes => JsonValue.Create(Convert.ToBase64String(bytes)),
        IDictionary dictionary => ToJsonObject(dictionary),
        IEnumerable list => new JsonArray(list.Cast<object?>().Select(ToJson).ToArray()),
        sbyte or byte or short or ushort or int or uint or long => JsonValue.Create(Convert.ToInt64(value)),
        DateTime or DateTimeOffset => JsonValue.Create(value.ToString()),
        _ => JsonValue.Create(Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)),
    };

    static JsonObject ToJsonObject(IDictionary dictionary)
    {
        var result = new JsonObject();
        foreach (DictionaryEntry entry in dictionary)
            result[entry.Key.ToString()!] = ToJson(entry.Value);
        return result;
    }
}
