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
        string folder = Path.Combine(runDir, WeightsFolder);
        IWeightSync? sync = config.WeightSync switch
        {
            WeightSyncKind.Disk => new DiskWeightSync(policy, modelSourceDir, folder, client),
            WeightSyncKind.Lora => new LoraWeightSync(policy, modelSourceDir, folder, AdapterPrefix(runDir), client),
            _ => null,
        };
        return new OpenAiRolloutEngine(policy, client, sync);
    }

    public const string WeightsFolder = "engine_weights";

    /// <summary>Adapter names start with the run's folder name (letters, digits, '.', '_', '-'), so that runs sharing an
    /// engine do not replace each other's adapters.</summary>
    static string AdapterPrefix(string runDir)
    {
        string name = Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(runDir)));
        string safe = new(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-').ToArray());
        return safe.Length > 0 ? safe : "ispo";
    }
}
