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
            RopeTheta = OptDouble("rope_theta") ?? 10000.0,
            RopeScaling = ReadRopeScaling(),
            MaxPositionEmbeddings = OptInt("max_position_embeddings") ?? 2048,
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

    RopeScaling? ReadRopeScaling()
    {
        JsonNode? node = root["rope_scaling"];
        if (node is null) return null;
        if (node is not JsonObject scaling) return Fail<RopeScaling>("rope_scaling", "an object or null");
        string? type = scaling["rope_type"] is { } t ? Str(t, "rope_scaling.rope_type")
            : scaling["type"] is { } t2 ? Str(t2, "rope_scaling.type") : null;
        if (type == "default") return null;
        if (type != RopeScaling.Llama3) Fail("rope_scaling.rope_type", $"\"llama3\" or \"default\" (got \"{type}\")");
        var d = new RopeScaling();
        var r = new RopeScaling(
            Num(scaling["factor"], "rope_scaling.factor") ?? d.Factor,
            Num(scaling["low_freq_factor"], "rope_scaling.low_freq_factor") ?? d.LowFreqFactor,
            Num(scaling["high_freq_factor"], "rope_scaling.high_freq_factor") ?? d.HighFreqFactor,
            (int?)Num(scaling["original_max_position_embeddings"], "rope_scaling.original_max_position_embeddings") ?? d.OriginalMaxPositionEmbeddings);
        if (r.Factor <= 0) Fail("rope_scaling.factor", "> 0");
        if (r.HighFreqFactor <= r.LowFreqFactor) Fail("rope_scaling.high_freq_factor", "> low_freq_factor");
        return r;
    }

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
        ? (int)d : Fail<int>(field, "an integer");

    string Str(JsonNode? node, string field) => node is JsonValue v && v.TryGetValue(out string? s) ? s : Fail<string>(field, "a string");

    void Fail(string field, string expected) => Fail<int>(field, expected);

    T Fail<T>(string field, string expected) => throw new ModelConfigException($"{source}: field '{field}' must be {expected}");
}
