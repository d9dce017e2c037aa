// Rollouts from OpenAI-compatible servers. The engine returns token ids and its own log-probs but no entropies, and
// its numerics are not the trainer's (another kernel, batch or dtype), so the trainer scores the sampled responses
// itself: those log-probs are the old policy's (as verl recomputes old_log_prob), the engine's are kept to log the
// gap. The trace-ablated answers are left to RolloutScoring, which scores them without a kept prefill.
using Ispo.Models;
using Ispo.Models.Sampling;
using Ispo.Training.Rollouts;

namespace Ispo.Training.Engines;

public sealed class OpenAiRolloutEngine(CausalLM policy, CompletionsClient client, DiskWeightSync? weightSync) : IRolloutEngine
{
    public List<Rollout> Generate(IReadOnlyList<TrainingProblem> problems, IRolloutEnvironment env, SamplingOptions sampling, RolloutRequest request)
    {
        int[][] prompts = problems.Select(env.EncodePrompt).ToArray();
        IReadOnlyList<Sample> samples = client.Sample(prompts, sampling);
        List<Rollout> rollouts = RolloutGenerator.FromSamples(samples, problems, prompts, env, request.GroupOffset, request.AnswerSpan);
        (float[][] logProbs, float[][] entropies) = RolloutScoring.ScoreResponsesWithEntropies(policy, rollouts, request.RowsPerPass,
            request.ScoringTemperature);
        return rollouts.Select((r, i) => r with { EngineLogProbs = r.OldLogProbs, OldLogProbs = logProbs[i], Entropies = entropies[i] }).ToList();
    }

    public bool SyncsWeights => weightSync is not null;

    public void SyncWeights() => weightSync?.Sync();

    public void Dispose() => client.Dispose();
}
