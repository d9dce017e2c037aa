// The in-process sampler as a rollout engine: it reads the policy itself, so there is nothing to sync, and it
// scores the trace-ablated answers on the prompts' prefill that sampling has just run.
using Ispo.Models;
using Ispo.Models.Sampling;
using Ispo.Training.Rollouts;

namespace Ispo.Training.Engines;

public sealed class LocalRolloutEngine(CausalLM policy) : IRolloutEngine
{
    public List<Rollout> Generate(IReadOnlyList<TrainingProblem> problems, IRolloutEnvironment env, SamplingOptions sampling, RolloutRequest request) =>
        RolloutGenerator.Generate(policy, problems, env, sampling, request.GroupOffset, request.AblatedRowsPerPass, request.AnswerSpan,
            request.KvCacheBudget);

    public bool SyncsWeights => false;

    public void SyncWeights(int step) { }

    public void Dispose() { }
}
