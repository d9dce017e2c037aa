// Writes ModelConfig as HF config.json (the keys transformers' Qwen2Config / LlamaConfig read).
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Ispo.Models.Config;

internal static class ModelConfigWriter
{
    public static string Write(ModelConfig c)
    {
        bool qwen = c.Architecture == Architecture.Qwen2;
        var json = new JsonObject
        {
            ["architectures"] = new JsonArray(qwen ? "Qwen2ForCausalLM" : "LlamaForCausalLM"),
            ["model_type"] = qwen ? "qwen2" : "llama",
            ["vocab_size"] = c.VocabSize,
            ["hidden_size"] = c.HiddenSize,
            ["intermediate_size"] = c.IntermediateSize,
            ["num_hidden_layers"] = c.NumHiddenLayers,
            ["num_attention_heads"] = c.NumAttentionHeads,
            ["num_key_value_heads"] = c.NumKeyValueHeads,
            ["head_dim"] = c.HeadDim,
            ["hidden_act"] = "silu",
            ["rms_norm_eps"] = c.RmsNormEps,
            ["rope_theta"] = c.RopeTheta,
            ["rope_scaling"] = RopeScalingJson(c.RopeScaling),
            ["max_position_embeddings"] = c.MaxPositionEmbeddings,
            ["tie_word_embeddings"] = c.TieWordEmbeddings,
            ["initializer_range"] = c.InitializerRange,
            ["torch_dtype"] = c.TorchDtype,
            ["use_cache"] = true,
        };
        if (qwen) json["use_sliding_window"] = false;
        else { json["attention_bias"] = false; json["mlp_bias"] = false; }
        if (c.BosTokenId is { } bos) json["bos_token_id"] = bos;
        if (c.EosTokenIds.Count == 1) json["eos_token_id"] = c.EosTokenIds[0];
        else if (c.EosTokenIds.Count > 1) json["eos_token_id"] = new JsonArray(c.EosTokenIds.Select(x => (JsonNode?)x).ToArray());
        if (c.PadTokenId is { } pad) json["pad_token_id"] = pad;
        return json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }

    static JsonObject? RopeScalingJson(RopeScaling? s) => s is null ? null : new JsonObject
    {
        ["rope_type"] = RopeScaling.Llama3,
        ["factor"] = s.Factor,
        ["low_freq_factor"] = s.LowFreqFactor,
        ["high_freq_factor"] = s.HighFreqFactor,
        ["original_max_position_embeddings"] = s.OriginalMaxPositionEmbeddings,
    };
}
