// The decoder's hyper-parameters, read from and written to Hugging Face `config.json`
// (Qwen2ForCausalLM and LlamaForCausalLM).
using Ispo.Models.Checkpoints;

namespace Ispo.Models.Config;

public enum Architecture { Qwen2, Llama }

public sealed record ModelConfig
{
    public Architecture Architecture { get; init; } = Architecture.Llama;
    public int VocabSize { get; init; }
    public int HiddenSize { get; init; }
    public int IntermediateSize { get; init; }
    public int NumHiddenLayers { get; init; }
    public int NumAttentionHeads { get; init; }
    public int NumKeyValueHeads { get; init; }
    public int HeadDim { get; init; }
    public double RmsNormEps { get; init; } = 1e-6;
    public double RopeTheta { get; init; } = 10000.0;
    public RopeScaling? RopeScaling { get; init; }
    public int MaxPositionEmbeddings { get; init; } = 2048;
    public bool TieWordEmbeddings { get; init; }
    public int? BosTokenId { get; init; }
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    public int? PadTokenId { get; init; }
    /// <summary>HF `torch_dtype`: "float32", "bfloat16" or "float16".</summary>
    public string TorchDtype { get; init; } = "float32";
    public double InitializerRange { get; init; } = 0.02;

    /// <summary>Qwen2 always has q/k/v biases; Llama (attention_bias = false) has none.</summary>
    public bool AttentionBias => Architecture == Architecture.Qwen2;

    public int KvGroups => NumAttentionHeads / NumKeyValueHeads;

    public static ModelConfig Load(string path)
    {
        ReadableFile.Check(path);
        return FromJson(File.ReadAllText(path), path);
    }

    /// <summary>Parses HF config.json text; <paramref name="source"/> names the file in error messages.</summary>
    public static ModelConfig FromJson(string json, string source) => new ModelConfigReader(json, source).Read();

    /// <summary>HF-compatible config.json text.</summary>
    public string ToJson() => ModelConfigWriter.Write(this);

    /// <summary>Parameters of the decoder these dims describe (tied embeddings counted once).</summary>
    public long ParameterCount()
    {
        long q = (long)HiddenSize * NumAttentionHeads * HeadDim, kv = (long)HiddenSize * NumKeyValueHeads * HeadDim;
        long biases = AttentionBias ? (long)(NumAttentionHeads + 2 * NumKeyValueHeads) * HeadDim : 0;
        long layer = 2 * q + 2 * kv + biases + 3L * HiddenSize * IntermediateSize + 2L * HiddenSize;
        long embeddings = (long)VocabSize * HiddenSize * (TieWordEmbeddings ? 1 : 2);
        return embeddings + NumHiddenLayers * layer + HiddenSize;
    }

    /// <summary>Upper bounds on the sizes: far above any released model (vocabularies up to ~256k, hidden 16k,
    /// ~130 layers, 128 heads of 128-256) and far below int32 overflow in size products. A config within them can
    /// still describe terabytes; loading compares it with the checkpoint's shapes before building (LoadedModel).</summary>
    public const int MaxVocabSize = 1 << 22, MaxWidth = 1 << 18, MaxLayers = 1 << 12, MaxHeads = 1 << 12, MaxHeadDim = 1 << 12;

    /// <summary>Throws naming the first field whose value is inconsistent.</summary>
    public ModelConfig Validate(string source = "config")
    {
        Require(VocabSize is > 0 and <= MaxVocabSize, "vocab_size", $"in [1, {MaxVocabSize}]");
        Require(HiddenSize is > 0 and <= MaxWidth, "hidden_size", $"in [1, {MaxWidth}]");
        Require(IntermediateSize is > 0 and <= MaxWidth, "intermediate_size", $"in [1, {MaxWidth}]");
        Require(NumHiddenLayers is > 0 and <= MaxLayers, "num_hidden_layers", $"in [1, {MaxLayers}]");
        Require(NumAttentionHeads is > 0 and <= MaxHeads, "num_attention_heads", $"in [1, {MaxHeads}]");
        Require(NumKeyValueHeads > 0 && NumAttentionHeads % NumKeyValueHeads == 0, "num_key_value_heads",
            $"> 0 and dividing num_attention_heads ({NumAttentionHeads})");
        Require(HeadDim is > 0 and <= MaxHeadDim && HeadDim % 2 == 0, "head_dim", $"an even number in [2, {MaxHeadDim}]");
        Require(RmsNormEps > 0, "rms_norm_eps", "> 0");
        Require(RopeTheta > 0, "rope_theta", "> 0");
        Require(MaxPositionEmbeddings > 0, "max_position_embeddings", "> 0");
        Require(TorchDtype is "float32" or "bfloat16" or "float16", "torch_dtype", "float32, bfloat16 or float16");
        foreach (int eos in EosTokenIds) Require(eos >= 0 && eos < VocabSize, "eos_token_id", $"in [0, {VocabSize})");
        if (BosTokenId is { } bos) Require(bos >= 0 && bos < VocabSize, "bos_token_id", $"in [0, {VocabSize})");
        return this;

        void Require(bool ok, string field, string expected)
        {
            if (!ok) throw new ModelConfigException($"{source}: field '{field}' must be {expected}");
        }
    }
}

public sealed class ModelConfigException(string message) : Exception(message);
