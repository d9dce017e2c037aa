// What the LoRA tests share: scoring a model's log-probs and giving adapters non-zero B (a new adapter has B = 0).
using Ispo.Models.Lora;
using Ispo.Models.Scoring;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Lora;

internal static class LoraTesting
{
    public static readonly LoraOptions AllProjections = new() { Rank = 4, Alpha = 6 };

    /// <summary>log p of every token after the first, [B,T] float32 (0 at t = 0), gradient-free.</summary>
    public static Tensor LogProbs(CausalLM model, Tensor ids) // [B,T] int64
    {
        using var scores = Scorer.Score(model, ids, null, ones_like(ids, ScalarType.Float32), new ScoreOptions { ComputeEntropy = false });
        return scores.LogProbs.clone();
    }

    /// <summary>Draws every B from N(0, 0.3²) so that the adapters change the model.</summary>
    public static void RandomizeB(LoraAdapters adapters, long seed)
    {
        using var noGrad = no_grad();
        using var generator = new Generator((ulong)seed);
        foreach ((_, LoraAdapter adapter) in adapters.Named) adapter.B.weight!.normal_(0, 0.3, generator);
    }
}
