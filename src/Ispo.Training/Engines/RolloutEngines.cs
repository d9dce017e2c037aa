// Builds the engine a recipe names (rollout.engine) with its weight sync (rollout.weight_sync).
using Ispo.Models;
using Ispo.Training.Configuration;

namespace Ispo.Training.Engines;

public static class RolloutEngines
{
    /// <summary>Weight-sync files go to <c>engine_weights/</c> in <paramref name="runDir"/>.</summary>
    public static IRolloutEngine Create(RolloutConfig config, CausalLM policy, string? modelSourceDir, string runDir)
    {
        if (config.Engine == RolloutEngineKind.Local) return new LocalRolloutEngine(policy);
        var client = new CompletionsClient(config);
        DiskWeightSync? sync = config.WeightSync == WeightSyncKind.Disk
            ? new DiskWeightSync(policy, modelSourceDir, Path.Combine(runDir, WeightsFolder), client)
            : null;
        return new OpenAiRolloutEngine(policy, client, sync);
    }

    public const string WeightsFolder = "engine_weights";
}
