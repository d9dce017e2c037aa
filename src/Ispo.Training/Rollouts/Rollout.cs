// One sampled completion with everything the algorithm needs, held on the CPU so groups can be filtered
// (dynamic sampling) and re-assembled without re-scoring. Per-token arrays have the response length n.
namespace Ispo.Training.Rollouts;

public sealed record Rollout
{
    /// <summary>Group id: index of the prompt within the step's batch of prompts.</summary>
    public required int Group { get; init; }
    /// <summary>Id of the training problem (tracks what becomes of prompts whose whole group failed).</summary>
    public string ProblemId { get; init; } = "";
    public required int[] PromptTokens { get; init; }
    public required int[] ResponseTokens { get; init; }
    public required float[] OldLogProbs { get; init; }          // [n] log π_θold(y_t)
    public required float[] Entropies { get; init; }            // [n] H_t of π_θold (nats)
    public required string Completion { get; init; }
    public required double Outcome { get; init; }               // R_o from the reward function
    public required bool Truncated { get; init; }               // hit max_new_tokens without EOS/stop
    public string? Gold { get; init; }
    public string? Extracted { get; init; }
    public bool[] AnswerMask { get; init; } = [];               // [n] final-answer span A (empty: not located)
    /// <summary>The answer segment's tokens before A (e.g. <c>\boxed{</c>), fed between the prompt and A in the
    /// trace-ablated pass and not scored; all false under the segment span, where A starts the segment.</summary>
    public bool[] AnswerPrefixMask { get; init; } = [];         // [n]
    public float[]? BaseLogProbs { get; init; }                 // [n] log π_θ0(y_t)
    public float[]? AblatedAnswerLogProbs { get; init; }        // [n] log p(y_t | Q, A_<t) on answer positions, 0 elsewhere
    /// <summary>The remote engine's own log-probs of the tokens it sampled, kept beside the trainer's recomputed
    /// <see cref="OldLogProbs"/> to measure the gap between the two; null for the local sampler (no gap).</summary>
    public float[]? EngineLogProbs { get; init; }               // [n]

    public int Length => ResponseTokens.Length;
    public int AnswerLength => AnswerMask.Count(x => x);
    public int AnswerPrefixLength => AnswerPrefixMask.Count(x => x);
}
