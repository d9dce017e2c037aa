// SGLang's weight sync from disk, which a non-Python trainer can drive: write the policy in HF layout to a folder
// in the run folder, then on every endpoint pause generation, load that folder, and continue. vLLM's NCCL transfer
// needs a Python process group, out of reach here. An engine that restarted comes back on the weights it was started
// with and says nothing; SGLang's /get_model_info names the folder it last loaded, which tells.
using Ispo.Models;
using Ispo.Training.Trainer;

namespace Ispo.Training.Engines;

public sealed class DiskWeightSync(CausalLM policy, string? modelSourceDir, string folder, CompletionsClient client) : IWeightSync
{
    public string Folder { get; } = Path.GetFullPath(folder);
    bool synced;

    /// <summary>One folder, overwritten each time: full weights are large, and the engines have read it when the sync returns.</summary>
    public void Sync(int step)
    {
        if (policy.Lora is not null)
            throw new RolloutEngineException("rollout.weight_sync: disk reloads full weights, and a LoRA policy saves only its adapters");
        TrainerCheckpoint.SaveModel(Folder, policy, modelSourceDir);
        string path = System.Text.Json.JsonSerializer.Serialize(new Dictionary<string, string> { ["model_path"] = Folder });
        client.OnEveryEndpoint(endpoint =>
        {
            client.Post(endpoint, "/pause_generation", "{}");
            try
            {
                var answer = client.Post(endpoint, "/update_weights_from_disk", path);
                if (answer.TryGetProperty("success", out var ok) && ok.ValueKind == System.Text.Json.JsonValueKind.False)
                    throw new RolloutEngineException($"{endpoint}/update_weights_from_disk: {answer.GetProperty("message")}");
            }
            finally
            {
                client.Post(endpoint, "/continue_generation", "{}"); // never leave an engine paused
            }
        });
        synced = true;
    }

    public bool IsServed() => !synced || client.Endpoints.All(endpoint => LoadedFolder(endpoint) == Folder);

    /// <summary>SGLang's /get_model_info names the folder the engine last loaded (null when the answer has none).</summary>
    string? LoadedFolder(Uri endpoint) =>
        client.Get(endpoint, "/get_model_info").TryGetProperty("model_path", out var path) && path.ValueKind == System.Text.Json.JsonValueKind.String
            ? Path.TrimEndingDirectorySeparator(path.GetString()!)
            : null;
}
