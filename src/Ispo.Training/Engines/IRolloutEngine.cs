// The seam between the trainer and whatever samples its rollouts: the in-process sampler, or OpenAI-compatible
// servers (vLLM, SGLang, `ispo serve`) kept on the policy's weights by a sync after each update. The trainer asks
// for a round of rollouts and, after each update, for a sync; it never knows which engine it has.
using Ispo.Algorithms;
using Ispo.Models.Sampling;
using Ispo.Training.Rollouts;

namespace Ispo.Training.Engines;

/// <param name="GroupOffset">Group id of the round's first prompt.</param>
/// <param name="AblatedRowsPerPass">&gt; 0: score the trace-ablated answers too, when the engine can do it on the
/// prompts' prefill it already ran (else RolloutScoring scores them afterwards).</param>
/// <param name="RowsPerPass">Rows per scoring pass, for engines whose rollouts the trainer must score itself.</param>
/// <param name="ScoringTemperature">The temperature of every trainer-side log-prob and entropy.</param>
/// <param name="KvCacheBudget">rollout.kv_cache_budget in bytes: the local sampler decodes in chunks that fit it.</param>
public sealed record RolloutRequest(int GroupOffset, int AblatedRowsPerPass, AnswerSpan AnswerSpan, int RowsPerPass, double ScoringTemperature,
    long? KvCacheBudget = null);

public interface IRolloutEngine : IDisposable
{
    /// <summary>G rollouts per problem, contiguous by group, each carrying old log-probs and entropies of the policy.</summary>
    List<Rollout> Generate(IReadOnlyList<TrainingProblem> problems, IRolloutEnvironment env, SamplingOptions sampling, RolloutRequest request);

    /// <summary>Whether <see cref="SyncWeights"/> does anything (the trainer times only real syncs).</summary>
    bool SyncsWeights { get; }

    /// <summary>Makes the engine serve the policy's current weights, which have had <paramref name="step"/> updates.</summary>
    void SyncWeights(int step);
}
