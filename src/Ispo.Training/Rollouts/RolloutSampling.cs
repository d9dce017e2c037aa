// The rollouts' sampling settings from a recipe, shared by the trainer and the study's step-0 probe so both sample
// exactly as RL does.
using Ispo.Models;
using Ispo.Models.Sampling;
using Ispo.Training.Configuration;

namespace Ispo.Training.Rollouts;

public static class RolloutSampling
{
    /// <summary>Every log-prob and entropy of the policy (old, current, base; the trace-ablated answers) is of
    /// softmax(logits / T) at the rollouts' temperature T, as TRL and verl compute them; greedy rollouts use T = 1.</summary>
    public static double LogProbTemperature(TrainConfig config) => config.Rollout.Temperature > 0 ? config.Rollout.Temperature : 1.0;

    /// <summary>G samples per prompt at rollout.* with <paramref name="seed"/>.</summary>
    public static SamplingOptions Options(TrainConfig config, CausalLM policy, IRolloutEnvironment env, int padTokenId, long seed) => new()
    {
        SamplesPerPrompt = config.Rollout.GroupSize,
        MaxNewTokens = config.Rollout.MaxNewTokens,
        Temperature = config.Rollout.Temperature,
        TopP = config.Rollout.TopP,
        TopK = config.Rollout.TopK,
        LogProbTemperature = LogProbTemperature(config),
        EosTokenIds = policy.Config.EosTokenIds,
        StopStrings = config.Rollout.StopStrings,
        Decode = config.Rollout.StopStrings.Count > 0 ? ids => env.Decode(ids).Text : null,
        Seed = seed,
        PadTokenId = padTokenId,
    };
}
