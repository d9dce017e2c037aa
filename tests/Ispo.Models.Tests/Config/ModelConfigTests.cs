using Ispo.Models.Config;

namespace Ispo.Models.Tests.Config;

public class ModelConfigTests
{
    // Abridged from Qwen2.5-Math-1.5B's config.json.
    const string Qwen2Json = """
        {"architectures": ["Qwen2ForCausalLM"], "bos_token_id": 151643, "eos_token_id": 151643, "hidden_act": "silu",
         "hidden_size": 1536, "initializer_range": 0.02, "intermediate_size": 8960, "max_position_embeddings": 4096,
         "max_window_layers": 21, "model_type": "qwen2", "num_attention_heads": 12, "num_hidden_layers": 28,
         "num_key_value_heads": 2, "rms_norm_eps": 1e-06, "rope_theta": 10000, "sliding_window": 4096,
         "tie_word_embeddings": true, "torch_dtype": "bfloat16", "use_cache": true, "use_sliding_window": false,
         "vocab_size": 151936}
        """;

    // Abridged from Llama-3.2-1B's config.json.
    const string LlamaJson = """
        {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "bos_token_id": 128000,
         "eos_token_id": [128001, 128008, 128009], "head_dim": 64, "hidden_act": "silu", "hidden_size": 2048,
         "intermediate_size": 8192, "max_position_embeddings": 131072, "mlp_bias": false, "model_type": "llama",
         "num_attention_heads": 32, "num_hidden_layers": 16, "num_key_value_heads": 8, "rms_norm_eps": 1e-05,
         "rope_scaling": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                          "original_max_position_embeddings": 8192, "rope_type": "llama3"},
         "rope_theta": 500000.0, "tie_word_embeddings": true, "torch_dtype": "bfloat16", "vocab_size": 128256}
        """;

    [Fact]
    public void ParsesQwen2()
    {
        var c = ModelConfig.FromJson(Qwen2Json, "qwen.json");
        Assert.Equal(Architecture.Qwen2, c.Architecture);
        Assert.Equal((1536, 8960, 28, 12, 2), (c.HiddenSize, c.IntermediateSize, c.NumHiddenLayers, c.NumAttentionHeads, c.NumKeyValueHeads));
        Assert.Equal(128, c.HeadDim); // hidden / heads when head_dim is absent
        Assert.Equal(6, c.KvGroups);
        Assert.True(c.AttentionBias);
        Assert.True(c.TieWordEmbeddings);
        Assert.Equal([151643], c.EosTokenIds);
        Assert.Equal(151643, c.BosTokenId);
        Assert.Equal((1e-6, 10000.0, 4096), (c.RmsNormEps, c.RopeTheta, c.MaxPositionEmbeddings));
        Assert.Equal("bfloat16", c.TorchDtype);
        Assert.Null(c.RopeScaling);
    }

    [Fact]
    public void ParsesLlama3WithRopeScalingAndEosList()
    {
        var c = ModelConfig.FromJson(LlamaJson, "llama.json");
        Assert.Equal(Architecture.Llama, c.Architecture);
        Assert.False(c.AttentionBias);
        Assert.Equal(64, c.HeadDim);
        Assert.Equal([128001, 128008, 128009], c.EosTokenIds);
        Assert.Equal(new RopeScaling(32, 1, 4, 8192), c.RopeScaling);
        Assert.Equal(500000.0, c.RopeTheta);
    }

    [Fact]
    public void ToJsonRoundTrips()
    {
        foreach (string json in new[] { Qwen2Json, LlamaJson })
        {
            var c = ModelConfig.FromJson(json, "x");
            var again = ModelConfig.FromJson(c.ToJson(), "y");
            Assert.Equal(c with { EosTokenIds = [] }, again with { EosTokenIds = [] });
            Assert.Equal(c.EosTokenIds, again.EosTokenIds);
        }
    }

    [Fact]
    public void LoadReadsAFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"ispo-config-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, LlamaJson);
        try { Assert.Equal(2048, ModelConfig.Load(path).HiddenSize); }
        finally { File.Delete(path); }
        Assert.Throws<FileNotFoundException>(() => ModelConfig.Load(path));
    }

    [Theory]
    [InlineData("\"architectures\": [\"LlamaForCausalLM\"]", "\"architectures\": [\"MistralForCausalLM\"]", "architectures")]
    [InlineData("\"rope_type\": \"llama3\"", "\"rope_type\": \"yarn\"", "rope_scaling.rope_type")]
    [InlineData("\"rope_type\": \"llama3\"", "\"type\": \"linear\"", "rope_scaling.type")]
    [InlineData("\"factor\": 32.0, ", "", "rope_scaling.factor")]
    [InlineData("\"hidden_size\": 2048,", "", "hidden_size")]
    [InlineData("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 5", "num_key_value_heads")]
    [InlineData("\"attention_bias\": false", "\"attention_bias\": true", "attention_bias")]
    [InlineData("\"hidden_act\": \"silu\"", "\"hidden_act\": \"gelu\"", "hidden_act")]
    [InlineData("\"eos_token_id\": [128001, 128008, 128009]", "\"eos_token_id\": \"x\"", "eos_token_id")]
    [InlineData("\"torch_dtype\": \"bfloat16\"", "\"torch_dtype\": \"int8\"", "torch_dtype")]
    [InlineData("\"vocab_size\": 128256", "\"vocab_size\": 12.5", "vocab_size")]
    [InlineData("\"num_hidden_layers\": 16", "\"num_hidden_layers\": 1e9", "num_hidden_layers")] // hostile sizes: refused before anything is built
    [InlineData("\"vocab_size\": 128256", "\"vocab_size\": 2147483647", "vocab_size")]
    [InlineData("\"hidden_size\": 2048", "\"hidden_size\": 2147483000", "hidden_size")]
    [InlineData("\"intermediate_size\": 8192", "\"intermediate_size\": 2147483647", "intermediate_size")]
    [InlineData("\"head_dim\": 64", "\"head_dim\": 1073741824", "head_dim")]
    [InlineData("\"original_max_position_embeddings\": 8192", "\"original_max_position_embeddings\": 1e300", "rope_scaling.original_max_position_embeddings")]
    [InlineData("\"original_max_position_embeddings\": 8192", "\"original_max_position_embeddings\": -8192", "rope_scaling.original_max_position_embeddings")]
    [InlineData("\"low_freq_factor\": 1.0", "\"low_freq_factor\": -1.0", "rope_scaling.low_freq_factor")]
    public void UnsupportedValuesNameTheField(string from, string to, string field)
    {
        string json = LlamaJson.Replace(from, to);
        Assert.NotEqual(LlamaJson, json);
        var e = Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson(json, "bad.json"));
        Assert.Contains($"'{field}'", e.Message);
        Assert.StartsWith("bad.json", e.Message);
    }

    // Llama-3.2-1B as transformers 5 writes it: RoPE in one `rope_parameters` dict, no rope_theta / rope_scaling.
    const string LlamaV5Json = """
        {"architectures": ["LlamaForCausalLM"], "attention_bias": false, "bos_token_id": 128000,
         "eos_token_id": [128001, 128008, 128009], "head_dim": 64, "hidden_act": "silu", "hidden_size": 2048,
         "intermediate_size": 8192, "max_position_embeddings": 131072, "mlp_bias": false, "model_type": "llama",
         "num_attention_heads": 32, "num_hidden_layers": 16, "num_key_value_heads": 8, "rms_norm_eps": 1e-05,
         "rope_parameters": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                             "original_max_position_embeddings": 8192, "rope_theta": 500000.0, "rope_type": "llama3"},
         "tie_word_embeddings": true, "dtype": "bfloat16", "vocab_size": 128256}
        """;

    const string V5Rope = """
        "rope_parameters": {"factor": 32.0, "high_freq_factor": 4.0, "low_freq_factor": 1.0,
                             "original_max_position_embeddings": 8192, "rope_theta": 500000.0, "rope_type": "llama3"}
        """;

    [Fact]
    public void TransformersV5LayoutReadsAsThe4xLayout()
    {
        var v4 = ModelConfig.FromJson(LlamaJson, "v4.json");
        var v5 = ModelConfig.FromJson(LlamaV5Json, "v5.json");
        Assert.Equal(500000.0, v5.RopeTheta);
        Assert.Equal(new RopeScaling(32, 1, 4, 8192), v5.RopeScaling);
        Assert.Equal(v4 with { EosTokenIds = [] }, v5 with { EosTokenIds = [] });

        string qwenV5 = Qwen2Json.Replace("\"rope_theta\": 10000,", "\"rope_parameters\": {\"rope_theta\": 1000000.0, \"rope_type\": \"default\"},");
        Assert.NotEqual(Qwen2Json, qwenV5);
        var q = ModelConfig.FromJson(qwenV5, "qwen-v5.json");
        Assert.Equal(1000000.0, q.RopeTheta);
        Assert.Null(q.RopeScaling);
    }

    [Fact]
    public void BothLayoutsAreReadWhenTheyAgree()
    {
        string both = LlamaJson.Replace("\"tie_word_embeddings\"", V5Rope + ", \"tie_word_embeddings\"");
        Assert.NotEqual(LlamaJson, both);
        Assert.Equal(ModelConfig.FromJson(LlamaJson, "a") with { EosTokenIds = [] }, ModelConfig.FromJson(both, "b") with { EosTokenIds = [] });
    }

    [Fact]
    public void PerLayerTypeRopeIsReadWhenEveryLayerTypeHasTheSame()
    {
        string nested = LlamaV5Json.Replace("\"rope_parameters\": {", "\"rope_parameters\": {\"full_attention\": {").Replace("\"llama3\"}", "\"llama3\"}}");
        Assert.Equal(new RopeScaling(32, 1, 4, 8192), ModelConfig.FromJson(nested, "n").RopeScaling);
        string differing = nested.Replace("\"llama3\"}}", "\"llama3\"}, \"sliding_attention\": {\"rope_type\": \"default\", \"rope_theta\": 10000.0}}");
        var e = Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson(differing, "layers.json"));
        Assert.StartsWith("layers.json", e.Message);
        Assert.Contains("'rope_parameters'", e.Message);
    }

    [Fact]
    public void Llama3OriginalContextDefaultsToMaxPositionsAsInTransformers5()
    {
        string json = LlamaV5Json.Replace("\"original_max_position_embeddings\": 8192, ", "");
        Assert.Equal(131072, ModelConfig.FromJson(json, "x").RopeScaling!.OriginalMaxPositionEmbeddings);
    }

    [Theory]
    [InlineData("\"rope_type\": \"llama3\"", "\"rope_type\": \"yarn\"", "rope_parameters.rope_type")]
    [InlineData("\"rope_type\": \"llama3\"", "\"rope_type\": \"linear\"", "rope_parameters.rope_type")]
    [InlineData("\"rope_type\": \"llama3\"", "\"type\": \"dynamic\"", "rope_parameters.type")]
    [InlineData("\"factor\": 32.0, ", "", "rope_parameters.factor")]
    [InlineData("\"rope_theta\": 500000.0,", "\"rope_theta\": 500000.0, \"partial_rotary_factor\": 0.5,", "rope_parameters.partial_rotary_factor")]
    [InlineData("\"rope_parameters\": {", "\"rope_parameters\": 3, \"x\": {", "rope_parameters")]
    [InlineData("\"original_max_position_embeddings\": 8192", "\"original_max_position_embeddings\": 1e300", "rope_parameters.original_max_position_embeddings")]
    [InlineData("\"original_max_position_embeddings\": 8192", "\"original_max_position_embeddings\": -8192", "rope_parameters.original_max_position_embeddings")]
    [InlineData("\"low_freq_factor\": 1.0", "\"low_freq_factor\": -1.0", "rope_parameters.low_freq_factor")]
    public void UnsupportedV5RopeNamesTheField(string from, string to, string field)
    {
        string json = LlamaV5Json.Replace(from, to);
        Assert.NotEqual(LlamaV5Json, json);
        var e = Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson(json, "v5.json"));
        Assert.StartsWith("v5.json", e.Message);
        Assert.Contains($"'{field}'", e.Message);
    }

    [Theory]
    [InlineData("\"rope_theta\": 500000.0, \"rope_parameters\"", "\"rope_theta\": 10000.0, \"rope_parameters\"", "rope_theta", "rope_parameters.rope_theta")]
    [InlineData("\"rope_scaling\": {\"factor\": 32.0", "\"rope_scaling\": {\"factor\": 8.0", "rope_scaling", "rope_parameters")]
    [InlineData("\"rope_scaling\": {\"factor\"", "\"rope_scaling\": {\"rope_type\": \"default\"}, \"unused\": {\"factor\"", "rope_scaling", "rope_parameters")]
    public void DisagreeingLayoutsNameBothFields(string from, string to, string a, string b)
    {
        string both = LlamaJson.Replace("\"tie_word_embeddings\"", V5Rope + ", \"tie_word_embeddings\"");
        string json = both.Replace(from, to);
        Assert.NotEqual(both, json);
        var e = Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson(json, "mixed.json"));
        Assert.StartsWith("mixed.json", e.Message);
        Assert.Contains($"'{a}'", e.Message);
        Assert.Contains($"'{b}'", e.Message);
    }

    [Fact]
    public void PartialRotaryIsRefused()
    {
        string json = LlamaJson.Replace("\"rope_theta\": 500000.0,", "\"rope_theta\": 500000.0, \"partial_rotary_factor\": 0.5,");
        var e = Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson(json, "p.json"));
        Assert.Contains("'partial_rotary_factor'", e.Message);
    }

    [Fact]
    public void InvalidJsonIsReported()
    {
        var e = Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson("{\"a\": ", "broken.json"));
        Assert.Contains("broken.json", e.Message);
    }
}
