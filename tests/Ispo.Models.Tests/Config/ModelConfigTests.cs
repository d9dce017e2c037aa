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
    [InlineData("\"hidden_size\": 2048,", "", "hidden_size")]
    [InlineData("\"num_key_value_heads\": 8", "\"num_key_value_heads\": 5", "num_key_value_heads")]
    [InlineData("\"attention_bias\": false", "\"attention_bias\": true", "attention_bias")]
    [InlineData("\"hidden_act\": \"silu\"", "\"hidden_act\": \"gelu\"", "hidden_act")]
    [InlineData("\"eos_token_id\": [128001, 128008, 128009]", "\"eos_token_id\": \"x\"", "eos_token_id")]
    [InlineData("\"torch_dtype\": \"bfloat16\"", "\"torch_dtype\": \"int8\"", "torch_dtype")]
    [InlineData("\"vocab_size\": 128256", "\"vocab_size\": 12.5", "vocab_size")]
    public void UnsupportedValuesNameTheField(string from, string to, string field)
    {
        string json = LlamaJson.Replace(from, to);
        Assert.NotEqual(LlamaJson, json);
        var e = Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson(json, "bad.json"));
        Assert.Contains($"'{field}'", e.Message);
        Assert.StartsWith("bad.json", e.Message);
    }

    [Fact]
    public void InvalidJsonIsReported()
    {
        var e = Assert.Throws<ModelConfigException>(() => ModelConfig.FromJson("{\"a\": ", "broken.json"));
        Assert.Contains("broken.json", e.Message);
    }
}
