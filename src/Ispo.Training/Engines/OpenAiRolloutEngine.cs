// Rollouts from OpenAI-compatible servers. The engine returns token ids and its own log-probs but no entropies, and
// its numerics are not the trainer's (another kernel, batch or dtype), so the trainer scores the sampled responses
// itself: those log-probs are the old policy's (as verl recomputes old_log_prob), the engine's are kept to log the
// gap. The trace-ablated answers are left to RolloutScoring, which scores them without a kept prefill.
// An engine that restarted comes back on the weights it was started with: with a weight sync, each round first asks
// the sync whether the engines still serve what it sent, and syncs again if not. A restart during the round shows as a
// dropped connection, or a 404 for an adapter the engine no longer knows; the round is then sampled again after a
// fresh sync (the same seeds, so the same rollouts an engine that never restarted would have given).
using Ispo.Models;
using Ispo.Models.Sampling;
using Ispo.Training.Rollouts;

namespace Ispo.Training.Engines;

public sealed class OpenAiRolloutEngine(CausalLM policy, CompletionsClient client, IWeightSync? weightSync) : IRolloutEngine
{
    int syncedStep;

    public List<Rollout> Generate(IReadOnlyList<TrainingProblem> problems, IRolloutEnvironment env, SamplingOptions sampling, RolloutRequest request)
    {
        int[][] prompts = problems.Select(env.EncodePrompt).ToArray();
        IReadOnlyList<Sample> samples = SampleOnSyncedEngines(prompts, sampling);
        List<Rollout> rollouts = RolloutGenerator.FromSamples(samples, problems, prompts, env, request.GroupOffset, request.AnswerSpan);
        (float[][] logProbs, float[][] entropies) = RolloutScoring.ScoreResponsesWithEntropies(policy, rollouts, request.RowsPerPass,
            request.ScoringTemperature);
        return rollouts.Select((r, i) => r with { EngineLogProbs = r.OldLogProbs, OldLogProbs = logProbs[i], Entropies = entropies[i] }).ToList();
    }

    IReadOnlyList<Sample> SampleOnSyncedEngines(int[][] prompts, SamplingOptions sampling)
    {
        if (weightSync is null) return client.Sample(prompts, sampling);
        if (!weightSync.IsServed()) weightSync.Sync(syncedStep);
        long dropped = client.DroppedConnections;
        try
        {
            IReadOnlyList<Sample> samples = client.Sample(prompts, sampling);
            if (client.DroppedConnections == dropped) return samples;
        }
        catch (RolloutEngineException e) when (e.Status is 404)
        {
        }
        weightSync.Sync(syncedStep);
        return client.Sample(prompts, sampling);
    }

    public bool SyncsWeights => weightSync is not null;

    public void SyncWeights(int step)
    {
        weightSync?.Sync(step);
        syncedStep = step;
    }

    public void Dispose() => client.Dispose();
}
