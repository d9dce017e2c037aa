// LoRA adapters in PEFT's save_pretrained layout, which PEFT, vLLM and SGLang load: adapter_config.json (LoraConfig's
// fields) and adapter_model.safetensors with keys `base_model.model.<projection>.lora_A.weight` [r,in] and
// `….lora_B.weight` [out,r] (PEFT drops the adapter name "default" when saving). Loading accepts what Ispo can run
// exactly: plain LoRA (no DoRA, no per-layer rank or alpha patterns, no bias or extra saved modules) on the decoder's
// projections; anything else is refused by name rather than loaded approximately.
using System.Text.Json;
using System.Text.Json.Nodes;
using Ispo.Models.Checkpoints;
using static TorchSharp.torch;

namespace Ispo.Models.Lora;

public static class PeftAdapter
{
    public const string ConfigFile = "adapter_config.json";
    public const string WeightsFile = "adapter_model.safetensors";
    const string KeyPrefix = "base_model.model.";

    /// <summary>Whether <paramref name="dir"/> holds an adapter (its config file).</summary>
    public static bool IsAdapter(string dir) => File.Exists(Path.Combine(dir, ConfigFile));

    /// <summary>Writes <paramref name="adapters"/> to <paramref name="dir"/>; <paramref name="baseModel"/> is recorded as
    /// base_model_name_or_path (a Hub id or a folder).</summary>
    public static void Save(LoraAdapters adapters, string dir, string? baseModel)
    {
        Directory.CreateDirectory(dir);
        var tensors = new List<(string, Tensor)>();
        foreach ((string name, LoraAdapter adapter) in adapters.Named)
        {
            tensors.Add((KeyPrefix + name + ".lora_A.weight", adapter.A.weight!.detach()));
            tensors.Add((KeyPrefix + name + ".lora_B.weight", adapter.B.weight!.detach()));
        }
        SafetensorsWriter.Write(Path.Combine(dir, WeightsFile), tensors);
        AtomicFile.WriteAllText(Path.Combine(dir, ConfigFile), ConfigJson(adapters.Options, baseModel));
    }

    static string ConfigJson(LoraOptions o, string? baseModel)
    {
        var json = new JsonObject
        {
            ["alpha_pattern"] = new JsonObject(),
            ["base_model_name_or_path"] = baseModel,
            ["bias"] = "none",
            ["fan_in_fan_out"] = false,
            ["inference_mode"] = true,
            ["init_lora_weights"] = true,
            ["layers_pattern"] = null,
            ["layers_to_transform"] = null,
            ["lora_alpha"] = o.Alpha == Math.Floor(o.Alpha) ? JsonValue.Create((long)o.Alpha) : JsonValue.Create(o.Alpha),
            ["lora_dropout"] = o.Dropout,
            ["modules_to_save"] = null,
            ["peft_type"] = "LORA",
            ["r"] = o.Rank,
            ["rank_pattern"] = new JsonObject(),
            ["revision"] = null,
            ["target_modules"] = new JsonArray(o.TargetModules.Select(t => (JsonNode?)t).ToArray()),
            ["task_type"] = "CAUSAL_LM",
            ["use_dora"] = false,
            ["use_rslora"] = o.UseRslora,
        };
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    /// <summary>The options and base model an adapter folder declares.</summary>
    public static (LoraOptions Options, string? BaseModel) ReadConfig(string dir)
    {
        string path = Path.Combine(dir, ConfigFile);
        ReadableFile.Check(path);
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: invalid JSON at line {e.LineNumber + 1}: {e.Message}");
        }
        string? Text(string field) => root[field] is JsonValue v && v.TryGetValue(out string? s) ? s : null;
        bool Flag(string field) => root[field] is JsonValue v && v.TryGetValue(out bool b) && b;
        bool Empty(string field) => root[field] is null || root[field] is JsonObject { Count: 0 } || root[field] is JsonArray { Count: 0 };
        void Require(bool ok, string what)
        {
            if (!ok) throw new InvalidDataException($"{path}: {what}; Ispo loads plain LoRA adapters only");
        }
        Require((Text("peft_type") ?? "LORA") == "LORA", $"peft_type is '{Text("peft_type")}'");
        Require((Text("bias") ?? "none") == "none", $"bias is '{Text("bias")}' (trained biases)");
        Require(!Flag("use_dora"), "use_dora is true");
        Require(!Flag("fan_in_fan_out"), "fan_in_fan_out is true");
        foreach (string field in new[] { "rank_pattern", "alpha_pattern", "modules_to_save", "layers_to_transform" })
            Require(Empty(field), $"{field} is set");
        IReadOnlyList<string> targets = root["target_modules"] switch
        {
            JsonArray list => list.Select(t => t?.GetValue<string>() ?? "").ToArray(),
            JsonValue single when single.TryGetValue(out string? name) && LoraOptions.Projections.Contains(name) => [name],
            var other => throw new InvalidDataException($"{path}: target_modules {other?.ToJsonString() ?? "null"} is not a list of projection names"),
        };
        var options = new LoraOptions
        {
            Rank = Number(root, "r", path) is var r && r == Math.Floor(r) ? (int)r : throw new InvalidDataException($"{path}: r must be an integer"),
            Alpha = Number(root, "lora_alpha", path),
            Dropout = root["lora_dropout"] is null ? 0 : Number(root, "lora_dropout", path),
            TargetModules = targets,
            UseRslora = Flag("use_rslora"),
        };
        if (options.Problems().FirstOrDefault() is ({ } bad, { } message)) throw new InvalidDataException($"{path}: {bad}: {message}");
        return (options, Text("base_model_name_or_path"));
    }

    static double Number(JsonObject root, string field, string path) =>
        root[field] is JsonValue v && v.TryGetValue(out double d) ? d : throw new InvalidDataException($"{path}: field '{field}' must be a number");

    /// <summary>Attaches the adapter in <paramref name="dir"/> to <paramref name="model"/> (freezing its weights).</summary>
    public static LoraAdapters Load(CausalLM model, string dir)
    {
        (LoraOptions options, _) = ReadConfig(dir);
        LoraAdapters adapters = LoraAdapters.Attach(model, options, seed: 0);
        LoadWeights(adapters, dir);
        return adapters;
    }

    /// <summary>Folds the adapter in <paramref name="dir"/> into <paramref name="model"/>'s weights (W + s·B·A), as
    /// PEFT's merge_and_unload.</summary>
    public static void MergeInto(CausalLM model, string dir)
    {
        (LoraOptions options, _) = ReadConfig(dir);
        using var scope = NewDisposeScope();
        LoraAdapters.Merge(model, Updates(dir, options, model.Dtype), options.Scale);
    }

    /// <summary>Each targeted projection's (name, A, B) from the adapter's weights, checked against its config.</summary>
    static List<(string Name, Tensor A, Tensor B)> Updates(string dir, LoraOptions options, ScalarType dtype)
    {
        string path = Path.Combine(dir, WeightsFile);
        using var file = SafetensorsFile.Open(path);
        var names = file.Entries.Keys.Where(k => k.EndsWith(".lora_A.weight", StringComparison.Ordinal))
            .Select(k => k[..^".lora_A.weight".Length]).Order(StringComparer.Ordinal).ToList();
        var bad = file.Entries.Keys.Where(k => !k.StartsWith(KeyPrefix, StringComparison.Ordinal)
            || !(k.EndsWith(".lora_A.weight", StringComparison.Ordinal) || k.EndsWith(".lora_B.weight", StringComparison.Ordinal))
            || !options.TargetModules.Contains(k[..k.IndexOf(".lora_", StringComparison.Ordinal)].Split('.')[^1])).ToList();
        var missing = names.Select(n => n + ".lora_B.weight").Where(k => !file.Entries.ContainsKey(k)).ToList();
        if (bad.Count > 0 || missing.Count > 0) throw new CheckpointMismatchException(path, missing, bad, []);
        return names.Select(n => (n[KeyPrefix.Length..], file.Read(n + ".lora_A.weight", ScalarType.Float32), file.Read(n + ".lora_B.weight", ScalarType.Float32))).ToList();
    }

    /// <summary>Copies the adapter weights in <paramref name="dir"/> into <paramref name="adapters"/>; every key must
    /// match (missing, unexpected and mis-shaped keys are reported together).</summary>
    public static void LoadWeights(LoraAdapters adapters, string dir)
    {
        string path = Path.Combine(dir, WeightsFile);
        using var file = SafetensorsFile.Open(path);
        CopyInto(adapters, path, file.Entries.ToDictionary(e => e.Key, e => e.Value.Shape, StringComparer.Ordinal), file.Read);
    }

    /// <summary>Copies tensors named by their saved keys (<paramref name="shapes"/>, read by <paramref name="read"/> in the
    /// target's dtype) into <paramref name="adapters"/>; every key must match, or nothing is copied.</summary>
    internal static void CopyInto(LoraAdapters adapters, string path, IReadOnlyDictionary<string, long[]> shapes,
        Func<string, ScalarType?, Tensor> read)
    {
        var targets = adapters.Named.SelectMany(n => new[]
        {
            (Key: KeyPrefix + n.Name + ".lora_A.weight", Tensor: (Tensor)n.Adapter.A.weight!),
            (Key: KeyPrefix + n.Name + ".lora_B.weight", Tensor: (Tensor)n.Adapter.B.weight!),
        }).ToDictionary(t => t.Key, t => t.Tensor, StringComparer.Ordinal);
        NamedTensorCopy.Into(path, targets, shapes, read);
        adapters.WeightsChanged();
    }
}
