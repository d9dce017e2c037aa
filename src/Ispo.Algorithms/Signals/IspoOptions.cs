// ISPO's coefficients with the paper's defaults (ISPO.md §3.4, App. A.2), the critical-set ablation switch, and the
// rule for rollouts without an answer (ISPO.md §3.1, a decision the paper leaves open).
namespace Ispo.Algorithms;

/// <summary>Which tokens are "critical" (ISPO.md §3.2 and the §4 ablations).</summary>
public enum CriticalSet
{
    /// <summary>C = 𝒜 ∩ C_Δ (the paper's method).</summary>
    Intersection,
    /// <summary>C = 𝒜 ∪ C_Δ.</summary>
    Union,
    /// <summary>C = 𝒜 only (top-k entropy).</summary>
    Entropy,
    /// <summary>C = C_Δ only (drift from the base policy).</summary>
    Drift,
}

/// <summary>What IFD_cond a rollout without an extractable answer (|A| = 0) gets (ISPO.md §3.1).</summary>
public enum NoAnswer
{
    /// <summary>The IFD term is −λ1·max(IFD of the group's answered incorrect rollouts, 0), and the token reward is the
    /// incorrect form: not answering never earns more than the group's worst answered wrong rollout.</summary>
    WorstAnswered,
    /// <summary>IFD_cond = 0 (the literal reading of Eq. 2 with an empty A), kept for comparison.</summary>
    ZeroIfd,
}

/// <summary>What A is (ISPO.md §3.1, the <c>answer_span</c> option).</summary>
public enum AnswerSpan
{
    /// <summary>A = the extracted answer's content (the inside of the last \boxed{…}, or what follows `Answer:` on its
    /// line); the ablated pass reads the prompt, the segment's own prefix tokens (e.g. <c>\boxed{</c>), then A, so the
    /// same format cue precedes A in both conditions.</summary>
    Content,
    /// <summary>A = from the start of the final-answer segment through the end of the rollout; the ablated pass reads
    /// the prompt, then A (the first measurement's span, kept for comparison).</summary>
    Segment,
}

public sealed record IspoOptions
{
    public double Lambda1 { get; init; } = 0.5;                 // weight of the signed conditional IFD
    public double Lambda2 { get; init; } = 0.1;                 // weight of the token reward
    public double TopK { get; init; } = 0.1;                    // k: fraction of a rollout's tokens in 𝒜
    public double TauDelta { get; init; } = 0.3;                // τ_Δ: drift threshold (nats)
    public double Alpha { get; init; } = 1.0;                   // entropy bonus on incorrect rollouts
    public double Beta { get; init; } = 1.0;                    // hallucinated-certainty hinge weight
    public double TauH { get; init; } = 0.3;                    // τ_H: hinge entropy threshold (nats)
    public CriticalSet CriticalSet { get; init; } = CriticalSet.Intersection;
    /// <summary>Ablation: R⁺ (sharpen) form for incorrect rollouts too.</summary>
    public bool Symmetric { get; init; }
    public NoAnswer NoAnswer { get; init; } = NoAnswer.WorstAnswered;
    /// <summary>Which tokens are A, the answer IFD_cond scores (the rollout phase locates them).</summary>
    public AnswerSpan AnswerSpan { get; init; } = AnswerSpan.Content;

    public const double MaxCoefficient = 1e6;

    public void Validate()
    {
        if (TopK is < 0 or > 1) throw new ArgumentException($"ispo: top_k must be in [0, 1], got {TopK}.");
        foreach (var (key, value) in new[] { ("lambda1", Lambda1), ("lambda2", Lambda2), ("tau_delta", TauDelta), ("alpha", Alpha), ("beta", Beta), ("tau_h", TauH) })
            if (!(Math.Abs(value) <= MaxCoefficient))  // rewards multiply these by sums of log-probabilities: larger ones overflow
                throw new ArgumentException($"ispo: {key} must be finite and at most {MaxCoefficient:0e0} in magnitude, got {value}.");
    }

    /// <summary>Inputs needed: answers (of the chosen span) for IFD when λ1 ≠ 0; for the token reward when λ2 ≠ 0,
    /// entropies, and base log-probs only when the critical set uses the drift set C_Δ.</summary>
    public BatchInputs Needs =>
        (Lambda1 != 0 ? BatchInputs.AblatedAnswer | (AnswerSpan == AnswerSpan.Segment ? BatchInputs.AnswerSegment : BatchInputs.None) : BatchInputs.None) |
        (Lambda2 != 0 ? BatchInputs.Entropies : BatchInputs.None) |
        (Lambda2 != 0 && CriticalSet != CriticalSet.Entropy ? BatchInputs.BaseLogProbs : BatchInputs.None);
}
