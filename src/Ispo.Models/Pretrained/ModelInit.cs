// `ispo model init`: a randomly initialised model with the character-level tokenizer, written in HF layout
// (config.json, model.safetensors, tokenizer.json, tokenizer_config.json, generation_config.json).
using Ispo.Models.Checkpoints;
using Ispo.Models.Config;
using Ispo.Models.Tokenization;

namespace Ispo.Models.Pretrained;

public static class ModelInit
{
    public const string ConfigFileName = "config.json";

    /// <summary>Preset names: tiny (fast, for tests), demo (~0.8M, the built-in demo and study), medium (~3.2M, the study's
    /// second size) and small (~10M: hidden 320, 6 layers, 5 heads, SwiGLU 864).</summary>
    public static IReadOnlyList<string> PresetNames { get; } = ["tiny", "demo", "medium", "small"];

    public static ModelConfig Preset(string name)
    {
        ModelConfig basic = new()
        {
            Architecture = Architecture.Llama, VocabSize = CharTokenizer.VocabSize, TieWordEmbeddings = true,
            RmsNormEps = 1e-6, RopeTheta = 10000, EosTokenIds = [Id(CharTokenizer.EndOfText), Id(CharTokenizer.ImEnd)],
            PadTokenId = Id(CharTokenizer.Pad),
        };
        return name switch
        {
            "tiny" => basic with { HiddenSize = 64, IntermediateSize = 172, NumHiddenLayers = 2, NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = 16, MaxPositionEmbeddings = 512 },
            "demo" => basic with { HiddenSize = 128, IntermediateSize = 384, NumHiddenLayers = 4, NumAttentionHeads = 4, NumKeyValueHeads = 4, HeadDim = 32, MaxPositionEmbeddings = 512 },
            "medium" => basic with { HiddenSize = 256, IntermediateSize = 688, NumHiddenLayers = 4, NumAttentionHeads = 4, NumKeyValueHeads = 4, HeadDim = 64, MaxPositionEmbeddings = 512 },
            "small" => basic with { HiddenSize = 320, IntermediateSize = 864, NumHiddenLayers = 6, NumAttentionHeads = 5, NumKeyValueHeads = 5, HeadDim = 64, MaxPositionEmbeddings = 1024 },
            _ => throw new ArgumentException($"unknown model preset '{name}' (expected one of: {string.Join(", ", PresetNames)})"),
        };
    }

    static int Id(string special) => 256 + CharTokenizer.SpecialTokens.ToList().IndexOf(special);

    /// <summary>Writes a seeded random model for <paramref name="config"/> (vocabulary: the char tokenizer) to <paramref name="dir"/>.</summary>
    public static void Create(ModelConfig config, string dir, long seed = 0)
    {
        if (config.VocabSize < CharTokenizer.VocabSize)
            throw new ArgumentException($"vocab_size {config.VocabSize} is smaller than the character tokenizer's {CharTokenizer.VocabSize}");
        Directory.CreateDirectory(dir);
        using var model = new CausalLM(config);
        model.InitWeights(seed);
        ModuleCheckpoint.Save(model, dir);
        AtomicFile.WriteAllText(Path.Combine(dir, ConfigFileName), config.ToJson());
        CharTokenizer.Save(dir);
        new GenerationConfig(config.BosTokenId, config.EosTokenIds, config.PadTokenId).Save(dir);
    }
}
