// samples.jsonl on disk: appended batch by batch during an evaluation, read back to resume, rewritten sorted at the end.
using Ispo.Models.Checkpoints;
using System.Text.Json;

namespace Ispo.Training.Evaluation;

public static class SampleLog
{
    /// <summary>
    /// Records of an existing log. A broken last line is the trace of an interrupted write and is dropped;
    /// a broken line elsewhere is an error naming the line.
    /// </summary>
    public static List<SampleRecord> Read(string path)
    {
        var records = new List<SampleRecord>();
        if (!File.Exists(path))
            return records;
        string[] lines = File.ReadAllLines(path);
        int last = Array.FindLastIndex(lines, l => !string.IsNullOrWhiteSpace(l));
        for (int i = 0; i <= last; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
                continue;
            try { records.Add(SampleRecord.FromJsonLine(lines[i])); }
            catch (JsonException) when (i == last) { }          // interrupted mid-write: redo that sample
            catch (JsonException e)
            {
                throw new InvalidDataException($"{path}:{i + 1}: malformed sample record ({e.Message})", e);
            }
        }
        return records;
    }

    public static void Append(StreamWriter writer, IEnumerable<SampleRecord> records)
    {
        foreach (SampleRecord record in records)
            writer.WriteLine(record.ToJsonLine());
        writer.Flush();
    }

    public static void WriteAll(string path, IEnumerable<SampleRecord> records) =>
        AtomicFile.WriteAllText(path, string.Concat(records.Select(r => r.ToJsonLine()).Select(line => line + "\n")));
}
