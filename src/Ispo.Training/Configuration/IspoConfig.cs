// ISPO's composite reward R = R_o + λ1·(2R_o−1)·IFD_cond + λ2·R_token (ISPO.md §3, Eq. 8), its ablation switches,
// and the two answer decisions the paper leaves open (ISPO.md §3.1), logged with every run's resolved config.
using Ispo.Algorithms;
using Ispo.Training.Rollouts;
namespace Ispo.Training.Configuration;

public sealed record IspoConfig : IValidatable
{
    public bool Enabled { get; init; }
    /// <summary>λ1: weight of the outcome-signed conditional IFD.</summary>
    public double Lambda1 { get; init; } = 0.5;
    /// <summary>λ2: weight of the directional token reward.</summary>
    public double Lambda2 { get; init; } = 0.1;
    /// <summary>k: fraction of a rollout's tokens kept by the entropy filter 𝒜.</summary>
    public double TopK { get; init; } = 0.1;
    /// <summary>τ_Δ: drift threshold log π_θ − log π_θ0 (nats) for C_Δ.</summary>
    public double TauDelta { get; init; } = 0.3;
    /// <summary>α: entropy bonus on incorrect rollouts.</summary>
    public double Alpha { get; init; } = 1.0;
    /// <summary>β: hallucinated-certainty hinge weight (0 = no hinge).</summary>
    public double Beta { get; init; } = 1.0;
    /// <summary>τ_H: hinge entropy threshold (nats).</summary>
    public double TauH { get; init; } = 0.3;
    public CriticalSet CriticalSet { get; init; } = CriticalSet.Intersection;
    /// <summary>Use the "sharpen" form R⁺ for incorrect rollouts too (ablation).</summary>
    public bool Symmetric { get; init; }
    /// <summary>The answer A of IFD_cond: the extracted answer's content, after the segment's own prefix in the ablated
    /// pass (content), or the whole final-answer segment through the end, right after the prompt (segment).</summary>
    public AnswerSpan AnswerSpan { get; init; } = AnswerSpan.Content;
    /// <summary>A rollout without an answer: the IFD term of its group's worst answered incorrect rollout (clamped at 0)
    /// and the incorrect token reward (worst_answered), or IFD_cond = 0 (zero_ifd).</summary>
    public NoAnswer NoAnswer { get; init; } = NoAnswer.WorstAnswered;

    public IEnumerable<ConfigError> Validate() => Check.All(
        Check.AtLeast("lambda1", Lambda1, 0),
        Check.AtLeast("lambda2", Lambda2, 0),
        Check.That(TopK is > 0 and <= 1, "top_k", $"expected a fraction in (0, 1], got {TopK}"),
        Check.AtLeast("alpha", Alpha, 0),
        Check.AtLeast("beta", Beta, 0),
        Check.AtLeast("tau_h", TauH, 0));
}
