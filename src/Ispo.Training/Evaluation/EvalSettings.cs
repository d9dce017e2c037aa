// eval-settings.json beside samples.jsonl: the settings that produced the samples, checked when a run is resumed.
using Ispo.Models.Checkpoints;
using System.Text.Json;

namespace Ispo.Training.Evaluation;

public static class EvalSettings
{
    /// <summary>Saves <paramref name="settings"/> at <paramref name="path"/>; on a resume, first refuses settings that
    /// differ from the saved ones, naming each. A resume of a folder without saved settings (older runs) is allowed.</summary>
    public static void Keep(string path, IReadOnlyDictionary<string, string> settings, bool resume)
    {
        if (resume && File.Exists(path))
        {
            var saved = Read(path);
            string[] changed = [.. settings.Keys.Union(saved.Keys).Order(StringComparer.Ordinal)
                .Where(k => settings.GetValueOrDefault(k) != saved.GetValueOrDefault(k))
                .Select(k => $"{k} {settings.GetValueOrDefault(k) ?? "(unset)"} (the samples have {saved.GetValueOrDefault(k) ?? "(unset)"})")];
            if (changed.Length > 0)
                throw new InvalidOperationException($"cannot resume the evaluation in {Path.GetDirectoryName(path)}: its samples were made with other settings: "
                    + string.Join("; ", changed) + ". Use the same settings, or another --out without --resume");
        }
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(new SortedDictionary<string, string>(settings.ToDictionary(), StringComparer.Ordinal),
            new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }

    static Dictionary<string, string> Read(string path)
    {
        try { return JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? []; }
        catch (JsonException e) { throw new InvalidDataException($"{path}: not a settings object ({e.Message})", e); }
    }
}
