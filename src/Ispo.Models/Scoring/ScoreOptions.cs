// Options for scoring given sequences.
namespace Ispo.Models.Scoring;

public sealed record ScoreOptions
{
    /// <summary>Response tokens whose logits are materialised at once (memory: ChunkSize·V floats, no grad).</summary>
    public int ChunkSize { get; init; } = 1024;
    /// <summary>Log-probs and entropies are of softmax(logits / Temperature).</summary>
    public double Temperature { get; init; } = 1.0;
    public bool ComputeEntropy { get; init; } = true;
}
