// Reads HF config.json into ModelConfig; every unsupported architecture or value is an error naming its field.
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ispo.Models.Config;

internal sealed class ModelConfigReader(string json, string source)
{
    JsonObject root = null!;

    public ModelConfig Read()
    {
        root = Parse();
        Architecture arch = ReadArchitecture();
        int hidden = Int("hidden_size");
        int heads = Int("num_attention_heads");
        if (arch == Architecture.Llama && (OptBool("attention_bias") ?? false)) Fail("attention_bias", "false (biased Llama attention is not supported)");
        if (OptBool("mlp_bias") ?? false) Fail("mlp_bias", "false");
        if (OptBool("use_sliding_window") ?? false) Fail("use_sliding_window", "false (sliding-window attention is not supported)");
        string act = OptString("hidden_act") ?? "silu";
        if (act != "silu") Fail("hidden_act", "\"silu\"");
        int maxPositions = OptInt("max_position_embeddings") ?? 2048;
        var rope = ReadRope(maxPositions);
        return new ModelConfig
        {
            Architecture = arch,
            VocabSize = Int("vocab_size"),
            HiddenSize = hidden,
            IntermediateSize = Int("intermediate_size"),
            NumHiddenLayers = Int("num_hidden_layers"),
            NumAttentionHeads = heads,
            NumKeyValueHeads = OptInt("num_key_value_heads") ?? heads,
            HeadDim = OptInt("head_dim") ?? (heads > 0 ? hidden / heads : 0),
            RmsNormEps = OptDouble("rms_norm_eps") ?? 1e-6,
            RopeTheta = rope.Theta,
            RopeScaling = rope.Scaling,
            MaxPositionEmbeddings = maxPositions,
            TieWordEmbeddings = OptBool("tie_word_embeddings") ?? false,
            BosTokenId = OptInt("bos_token_id"),
            EosTokenIds = ReadEos(),
            PadTokenId = OptInt("pad_token_id"),
            TorchDtype = OptString("torch_dtype") ?? OptString("dtype") ?? "float32",
            InitializerRange = OptDouble("initializer_range") ?? 0.02,
        }.Validate(source);
    }

    JsonObject Parse()
    {
        try
        {
            return JsonNode.Parse(json) as JsonObject ?? throw new ModelConfigException($"{source}: expected a JSON object");
        }
        catch (JsonException e)
        {
            throw new ModelConfigException($"{source}: invalid JSON at line {e.LineNumber + 1}: {e.Message}");
        }
    }

    Architecture ReadArchitecture()
    {
        string? name = root["architectures"] is JsonArray { Count: > 0 } list ? Str(list[0], "architectures") : null;
        string? type = OptString("model_type");
        return (name, type) switch
        {
            ("Qwen2ForCausalLM", _) or (null, "qwen2") => Architecture.Qwen2,
            ("LlamaForCausalLM", _) or (null, "llama") => Architecture.Llama,
            (null, _) => Fail<Architecture>("model_type", $"\"qwen2\" or \"llama\" (got {type ?? "nothing"})"),
            _ => Fail<Architecture>("architectures", $"[\"Qwen2ForCausalLM\"] or [\"LlamaForCausalLM\"] (got \"{name}\")"),
        };
    }

    /// <summary>RoPE from either layout: transformers 4.x (`rope_theta` + `rope_scaling`) or 5.x (`rope_parameters`,
    /// a dict holding `rope_theta`, `rope_type` and the scaling keys). Where both are present they must agree.</summary>
    (double Theta, RopeScaling? Scaling) ReadRope(int maxPositions)
    {
        if ((OptDouble("partial_rotary_factor") ?? 1.0) != 1.0) Fail("partial_rotary_factor", "1 (partial rotary embeddings are not supported)");
        double? legacyTheta = OptDouble("rope_theta");
        (string field, JsonObject dict)? legacy = root["rope_scaling"] switch
        {
            null => null,
            JsonObject o => ("rope_scaling", o),
            _ => Fail<(string, JsonObject)>("rope_scaling", "an object or null"),
        };
        var v5 = ReadRopeParameters();
        RopeScaling? legacyScaling = legacy is { } l ? ReadScaling(l.dict, l.field, maxPositions, typeRequired: true) : null;
        if (v5 is not { } p) return (legacyTheta ?? DefaultTheta, legacyScaling);

        RopeScaling? v5Scaling = ReadScaling(p.dict, p.field, maxPositions, typeRequired: false);
        double? v5Theta = Num(p.dict["rope_theta"], $"{p.field}.rope_theta");
        if (legacyTheta is { } a && v5Theta is { } b && a != b)
            Disagree("rope_theta", $"{p.field}.rope_theta", $"{a} vs {b}");
        if (legacy is { } both && legacyScaling != v5Scaling)
            Disagree(both.field, p.field, $"{Describe(legacyScaling)} vs {Describe(v5Scaling)}");
        return (v5Theta ?? legacyTheta ?? DefaultTheta, v5Scaling);
    }

    /// <summary>transformers' `default_theta` for Llama and Qwen2.</summary>
    const double DefaultTheta = 10000.0;

    /// <summary>`rope_parameters`: one dict, or (transformers 5) one dict per layer type, which Ispo accepts only
    /// when every layer type has the same RoPE.</summary>
    (string field, JsonObject dict)? ReadRopeParameters()
    {
        switch (root["rope_parameters"])
        {
            case null: return null;
            case JsonObject plain when !plain.Any(kv => kv.Value is JsonObject): return ("rope_parameters", plain);
            case JsonObject perLayerType:
                if (perLayerType.Any(kv => kv.Value is not JsonObject))
                    Fail("rope_parameters", "one RoPE dict or one dict per layer type (got a mix of both)");
                var first = perLayerType.First();
                if (perLayerType.Any(kv => !JsonNode.DeepEquals(kv.Value, first.Value)))
                    Fail("rope_parameters", $"the same RoPE for every layer type (per-layer-type RoPE differs between "
                        + $"{string.Join(", ", perLayerType.Select(kv => kv.Key))}; Ispo supports one RoPE for all layers)");
                return ($"rope_parameters.{first.Key}", (JsonObject)first.Value!);
            default: return Fail<(string, JsonObject)>("rope_parameters", "an object or null");
        }
    }

    /// <summary>One RoPE dict's scaling: null for "default", Llama-3's for "llama3"; any other type is refused.
    /// HF requires llama3's factor and low/high frequency factors and defaults the original context length to
    /// max_position_embeddings (transformers 5).</summary>
    RopeScaling? ReadScaling(JsonObject dict, string field, int maxPositions, bool typeRequired)
    {
        (string typeField, string? type) = dict["rope_type"] is { } t ? ($"{field}.rope_type", Str(t, $"{field}.rope_type"))
            : dict["type"] is { } t2 ? ($"{field}.type", Str(t2, $"{field}.type"))
            : ($"{field}.rope_type", typeRequired ? null : "default");
        if ((Num(dict["partial_rotary_factor"], $"{field}.partial_rotary_factor") ?? 1.0) != 1.0)
            Fail($"{field}.partial_rotary_factor", "1 (partial rotary embeddings are not supported)");
        if (type == "default") return null;
        if (type != RopeScaling.Llama3)
            Fail(typeField, $"\"default\" or \"llama3\", the RoPE types Ispo implements (got {(type is null ? "nothing" : $"\"{type}\"")})");
        var r = new RopeScaling(
            Required("factor"), Required("low_freq_factor"), Required("high_freq_factor"),
            dict["original_max_position_embeddings"] is { } o ? ToInt(o, $"{field}.original_max_position_embeddings") : maxPositions);
        if (r.Factor <= 0) Fail($"{field}.factor", "> 0");
        if (r.LowFreqFactor <= 0) Fail($"{field}.low_freq_factor", "> 0 (it divides the original context length)");
        if (r.HighFreqFactor <= r.LowFreqFactor) Fail($"{field}.high_freq_factor", "> low_freq_factor");
        if (r.OriginalMaxPositionEmbeddings <= 0) Fail($"{field}.original_max_position_embeddings", "> 0");
        return r;

        double Required(string key) => Num(dict[key], $"{field}.{key}") ?? Fail<double>($"{field}.{key}", "present for rope_type \"llama3\"");
    }

    static string Describe(RopeScaling? s) => s is null ? "no scaling"
        : $"llama3 factor {s.Factor}, low_freq_factor {s.LowFreqFactor}, high_freq_factor {s.HighFreqFactor}, "
          + $"original_max_position_embeddings {s.OriginalMaxPositionEmbeddings}";

    void Disagree(string a, string b, string detail) =>
        throw new ModelConfigException($"{source}: fields '{a}' and '{b}' disagree ({detail}); keep one layout or make them equal");

    IReadOnlyList<int> ReadEos() => root["eos_token_id"] switch
    {
        null => [],
        JsonArray list => list.Select(x => ToInt(x, "eos_token_id")).ToArray(),
        var x => [ToInt(x, "eos_token_id")],
    };

    int Int(string field) => OptInt(field) ?? Fail<int>(field, "present (an integer)");
    int? OptInt(string field) => root[field] is { } node ? ToInt(node, field) : null;
    double? OptDouble(string field) => Num(root[field], field);
    string? OptString(string field) => root[field] is { } node ? Str(node, field) : null;

    bool? OptBool(string field) => root[field] switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out bool b) => b,
        _ => Fail<bool>(field, "true or false"),
    };

    double? Num(JsonNode? node, string field) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue(out double d) => d,
        _ => Fail<double>(field, "a number"),
    };

    int ToInt(JsonNode? node, string field) => node is JsonValue v && v.TryGetValue(out double d) && d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue
        ? (int)d : Fail<int>(field, $"an integer within ±{int.MaxValue}");

    string Str(JsonNode? node, string field) => node is JsonValue v && v.TryGetValue(out string? s) ? s : Fail<string>(field, "a string");

    void Fail(string field, string expected) => Fail<int>(field, expected);

    T Fail<T>(string field, string expected) => throw new ModelConfigException($"{source}: field '{field}' must be {expected}");
}
