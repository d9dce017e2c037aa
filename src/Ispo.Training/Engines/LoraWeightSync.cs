// vLLM's runtime LoRA loading, which a non-Python trainer can drive: after each update, write the policy's adapter in
// PEFT layout to a new folder in the run folder, load it on every endpoint under a new name (POST /v1/load_lora_adapter,
// with load_inplace so that a name an engine still holds from an earlier process is replaced, not refused), point the
// rollouts' `model` at that name, then unload the previous adapter and delete its folder. Only the adapter moves
// (megabytes, not the model); the engines keep the base model they were started with. The folder must be readable by
// the engines at the same path (one machine, or a shared file system).
using System.Text.Json;
using Ispo.Models;
using Ispo.Models.Lora;

namespace Ispo.Training.Engines;

public sealed class LoraWeightSync(CausalLM policy, string? modelSourceDir, string folder, string namePrefix, CompletionsClient client) : IWeightSync
{
    (string Name, string Dir)? loaded;

    /// <summary>Where the adapters are written, one subfolder per sync.</summary>
    public string Folder { get; } = Path.GetFullPath(folder);

    /// <summary>The adapter the engines serve now (null before the first sync).</summary>
    public string? Current => loaded?.Name;

    public void Sync(int step)
    {
        LoraAdapters adapters = policy.Lora
            ?? throw new RolloutEngineException("rollout.weight_sync: lora sends the policy's LoRA adapter, and this policy has none (set model.lora)");
        string name = $"{namePrefix}-step{step}";
        string dir = Path.Combine(Folder, $"step{step}");
        PeftAdapter.Save(adapters, dir, modelSourceDir is null ? null : Path.GetFullPath(modelSourceDir));
        string load = JsonSerializer.Serialize(new Dictionary<string, object> { ["lora_name"] = name, ["lora_path"] = dir, ["load_inplace"] = true });
        client.OnEveryEndpoint(endpoint => client.PostText(endpoint, "/v1/load_lora_adapter", load));
        client.ModelName = name;
        if (loaded is { } old && old.Name != name) Unload(old.Name, old.Dir);
        loaded = (name, dir);
    }

    /// <summary>True: an engine that restarted no longer knows the adapter, and its 404 says so.</summary>
    public bool IsServed() => true;

    /// <summary>Unloads an adapter the rollouts no longer use; an engine that no longer has it (it restarted) is fine.</summary>
    void Unload(string name, string dir)
    {
        string body = JsonSerializer.Serialize(new Dictionary<string, string> { ["lora_name"] = name });
        client.OnEveryEndpoint(endpoint =>
        {
            try
            {
                client.PostText(endpoint, "/v1/unload_lora_adapter", body);
            }
            catch (RolloutEngineException e) when (e.Status is 404)
            {
            }
        });
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
    }
}
