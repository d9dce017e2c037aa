// JSON-lines files keyed by a "step" field: appending flushed lines, reading, and cutting back to a step on resume.
using Ispo.Models.Checkpoints;
using System.Text.Json;

namespace Ispo.Training.Runs;

public static class JsonlFile
{
    /// <summary>Rows whose <c>step</c> is greater than <paramref name="step"/> are removed (atomically); lines without a step are kept.</summary>
    public static void TruncateAfterStep(string path, int step)
    {
        if (!File.Exists(path)) return;
        // every line these logs write carries its step: one without (a line torn by a kill mid-write) is dropped too
        var kept = File.ReadLines(path).Where(line => StepOf(line) is { } s && s <= step).ToList();
        AtomicFile.WriteAllText(path, kept.Count == 0 ? "" : string.Join("\n", kept) + "\n");
    }

    /// <summary>The <c>step</c> field of a JSON line, or null if the line has none or is not JSON.</summary>
    public static int? StepOf(string line)
    {
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("step", out var s)
                && s.TryGetInt32(out int step) ? step : null;
        }
        catch (JsonException) { return null; }
    }

    /// <summary>A writer that appends to <paramref name="path"/> and flushes after every line.</summary>
    public static StreamWriter OpenAppend(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        return new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read)) { AutoFlush = true, NewLine = "\n" };
    }
}
