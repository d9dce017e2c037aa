// The parts of HF generation_config.json Ispo reads and writes: special token ids and sampling defaults.
using System.Text.Json;
using System.Text.Json.Nodes;
using Ispo.Models.Checkpoints;
using Ispo.Models.Config;

namespace Ispo.Models.Pretrained;

public sealed record GenerationConfig(int? BosTokenId, IReadOnlyList<int> EosTokenIds, int? PadTokenId,
    double Temperature = 1.0, double TopP = 1.0, int TopK = 0)
{
    public const string FileName = "generation_config.json";

    /// <summary>Reads generation_config.json when present (token ids only; the config supplies the rest).</summary>
    public static GenerationConfig? TryLoad(string dir)
    {
        string path = Path.Combine(dir, FileName);
        if (!File.Exists(path)) return null;
        ReadableFile.Check(path);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new ModelConfigException($"{path}: expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new ModelConfigException($"{path}: invalid JSON at line {e.LineNumber + 1}: {e.Message}");
        }
        IReadOnlyList<int> eos = root["eos_token_id"] switch
        {
            null => [],
            JsonArray list => list.Select(x => Int(x, path, "eos_token_id")).ToArray(),
            var x => [Int(x, path, "eos_token_id")],
        };
        return new GenerationConfig(root["bos_token_id"] is { } b ? Int(b, path, "bos_token_id") : null, eos,
            root["pad_token_id"] is { } p ? Int(p, path, "pad_token_id") : null);
    }

    static int Int(JsonNode? node, string path, string field) =>
        node is JsonValue v && v.TryGetValue(out int i) ? i : throw new ModelConfigException($"{path}: field '{field}' must be an integer");

    public void Save(string dir)
    {
        var json = new JsonObject
        {
            ["bos_token_id"] = BosTokenId,
            ["eos_token_id"] = EosTokenIds.Count == 1 ? EosTokenIds[0] : new JsonArray(EosTokenIds.Select(x => (JsonNode?)x).ToArray()),
            ["pad_token_id"] = PadTokenId,
            ["do_sample"] = true,
            ["temperature"] = Temperature,
            ["top_p"] = TopP,
            ["top_k"] = TopK,
        };
        AtomicFile.WriteAllText(Path.Combine(dir, FileName), json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
    }
}
