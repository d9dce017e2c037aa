// metrics.jsonl: one JSON object per step, {"step": N, "<metric>": value, ...}, flushed line by line.
using Ispo.Models.Checkpoints;
using System.Text.Json;

namespace Ispo.Training.Runs;

public sealed class JsonlMetricsSink(string path) : IMetricsSink
{
    readonly StreamWriter writer = JsonlFile.OpenAppend(path);

    public void Write(int step, IReadOnlyDictionary<string, double> metrics)
    {
        string line = Format(step, metrics);
        if (CrashPoints.IsDue("metrics.line"))  // the crash test's torn line: half of it on disk, then the kill
        {
            writer.Write(line[..(line.Length / 2)]);
            CrashPoints.Kill();
        }
        writer.WriteLine(line);
    }

    /// <summary>Numbers in shortest round-trip form (a resumed run reproduces the text exactly); NaN and ±inf as null.</summary>
    public static string Format(int step, IReadOnlyDictionary<string, double> metrics)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("step", step);
            foreach (var (name, value) in metrics)
            {
                if (name == "step") continue;
                if (double.IsFinite(value)) json.WriteNumber(name, value);
                else json.WriteNull(name);
            }
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads metrics.jsonl back: one row per line, nulls as NaN, non-numeric fields skipped, bad lines ignored.</summary>
    public static IReadOnlyList<MetricsRow> Read(string path)
    {
        var rows = new List<MetricsRow>();
        if (!File.Exists(path)) return rows;
        foreach (string line in File.ReadLines(path))
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                var values = new Dictionary<string, double>();
                int? step = null;
                foreach (JsonProperty p in doc.RootElement.EnumerateObject())
                {
                    if (p.Name == "step" && p.Value.TryGetInt32(out int s)) step = s;
                    else if (p.Value.ValueKind == JsonValueKind.Number) values[p.Name] = p.Value.GetDouble();
                    else if (p.Value.ValueKind == JsonValueKind.Null) values[p.Name] = double.NaN;
                }
                if (step is not null) rows.Add(new MetricsRow(step.Value, values));
            }
            catch (JsonException) { }  // a line cut short by a crash
        }
        return rows;
    }

    public void Dispose() => writer.Dispose();
}

/// <summary>One line of metrics.jsonl.</summary>
public sealed record MetricsRow(int Step, IReadOnlyDictionary<string, double> Values);
