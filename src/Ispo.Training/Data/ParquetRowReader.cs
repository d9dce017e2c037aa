// Reads a Parquet file (as Hugging Face datasets publish them) into raw JSON rows, keeping lists and structs.
using System.Collections;
using System.Text.Json.Nodes;
using Parquet;
using Parquet.Serialization;

namespace Ispo.Training.Data;

public static class ParquetRowReader
{
    /// <summary>Rows in file order, one row group in memory at a time (training sets can have millions of rows).</summary>
    public static IEnumerable<DatasetRow> Read(string path)
    {
        int rowNumber = 0;
        for (int group = 0, groups = RowGroupCount(path); group < groups; group++)
            foreach (Dictionary<string, object> values in ReadRowGroup(path, group))
            {
                var row = new JsonObject();
                foreach ((string key, object value) in values)
                    row[key] = ToJson(value);
                yield return new DatasetRow(row, $"{path} row {++rowNumber}");
            }
    }

    static int RowGroupCount(string path) => Guarded(path, () => CountAsync(path).GetAwaiter().GetResult());

    static async Task<int> CountAsync(string path)
    {
        await using FileStream stream = File.OpenRead(path);
        await using ParquetReader reader = await ParquetReader.CreateAsync(stream);
        return reader.RowGroupCount;
    }

    static IList<Dictionary<string, object>> ReadRowGroup(string path, int group) => Guarded(path, () =>
    {
        using FileStream stream = File.OpenRead(path);
        return ParquetSerializer.DeserializeUntypedAsync(stream, rowGroupIndex: group).GetAwaiter().GetResult().Data;
    });

    static T Guarded<T>(string path, Func<T> read)
    {
        try { return read(); }
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
