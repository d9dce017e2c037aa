// Tiny seeded models shared by the tests: a Qwen2-style one (GQA, q/k/v biases, untied) and a Llama-style one
// (GQA, llama3 RoPE scaling, tied embeddings).
using Ispo.Models.Config;
using static TorchSharp.torch;

namespace Ispo.Models.Tests;

internal static class TinyModels
{
    public static readonly ModelConfig Qwen2 = new()
    {
        Architecture = Architecture.Qwen2, VocabSize = 61, HiddenSize = 32, IntermediateSize = 48, NumHiddenLayers = 2,
        NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = 8, RopeTheta = 10000, MaxPositionEmbeddings = 64,
        TieWordEmbeddings = false, EosTokenIds = [1], InitializerRange = 0.3,
    };

    public static readonly ModelConfig Llama = new()
    {
        Architecture = Architecture.Llama, VocabSize = 53, HiddenSize = 24, IntermediateSize = 40, NumHiddenLayers = 2,
        NumAttentionHeads = 6, NumKeyValueHeads = 2, HeadDim = 4, RopeTheta = 500000, MaxPositionEmbeddings = 64,
        RopeScaling = new RopeScaling(8, 1, 4, 16), TieWordEmbeddings = true, EosTokenIds = [1, 2], InitializerRange = 0.3,
    };

    public static IEnumerable<object[]> Both => [[nameof(Qwen2)], [nameof(Llama)]];

    public static ModelConfig ByName(string name) => name == nameof(Qwen2) ? Qwen2 : Llama;

    /// <summary>A randomly initialised model; biases are random too so they matter in equivalence tests.</summary>
    public static CausalLM Create(ModelConfig config, long seed = 1, ScalarType dtype = ScalarType.Float32, CpuKernels kernels = CpuKernels.Auto)
    {
        var model = new CausalLM(config, dtype, cpuKernels: kernels);
        model.InitWeights(seed);
        using var _ = no_grad();
        var generator = new Generator((ulong)seed + 100);
        foreach (var (name, p) in model.named_parameters())
            if (name.EndsWith(".bias", StringComparison.Ordinal)) p.normal_(0, 0.3, generator);
        model.eval();
        return model;
    }

    public static CausalLM Create(string name, long seed = 1, CpuKernels kernels = CpuKernels.Auto) => Create(ByName(name), seed, kernels: kernels);

    /// <summary>Random token ids [B,T] in [3, V) (0-2 stay free for pad/eos).</summary>
    public static Tensor RandomIds(ModelConfig c, int b, int t, long seed) =>
        randint(3, c.VocabSize, [b, t], generator: new Generator((ulong)seed), dtype: ScalarType.Int64);

    public static float MaxAbsDiff(Tensor a, Tensor b)
    {
        using var d = (a - b).abs().max();
        return d.item<float>();
    }
}
