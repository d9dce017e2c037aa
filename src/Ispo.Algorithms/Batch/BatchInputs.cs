// The optional inputs a component can need beyond the always-present ones (response mask, outcome rewards,
// sampling log-probs). The trainer ORs every configured component's Needs to decide which extra passes to run.
namespace Ispo.Algorithms;

[Flags]
public enum BatchInputs
{
    None = 0,
    /// <summary>GroupedBatch.Entropies: per-token entropy of the sampling policy.</summary>
    Entropies = 1,
    /// <summary>GroupedBatch.BaseLogProbs: the frozen base/reference policy's log-probs (one extra scoring pass).</summary>
    BaseLogProbs = 2,
    /// <summary>GroupedBatch.AnswerMask and AblatedAnswerLogProbs (answer teacher-forced after the trace-ablated prompt).</summary>
    AblatedAnswer = 4,
    /// <summary>GroupedBatch.Truncated: which rollouts hit the length limit.</summary>
    Truncation = 8,
    /// <summary>PolicyEvaluation.Entropies: the current policy's entropies, with grad (entropy bonus).</summary>
    CurrentEntropies = 16,
    /// <summary>With AblatedAnswer: the answer mask covers the whole final-answer segment instead of its content.</summary>
    AnswerSegment = 32,
}
