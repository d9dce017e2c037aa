// A model directory loaded for use: the decoder with its weights, the tokenizer and the end-of-sequence ids.
using Ispo.Models.Checkpoints;
using Ispo.Models.Config;
using Ispo.Models.Lora;
using Ispo.Models.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Models.Pretrained;

public sealed class LoadedModel(CausalLM model, ITokenizer tokenizer, IReadOnlyList<int> eosTokenIds, string directory) : IDisposable
{
    public CausalLM Model { get; } = model;
    public ITokenizer Tokenizer { get; } = tokenizer;
    /// <summary>Union of config.json, generation_config.json and the tokenizer's eos ids.</summary>
    public IReadOnlyList<int> EosTokenIds { get; } = eosTokenIds;
    public string Directory { get; } = directory;
    public ModelConfig Config => Model.Config;

    /// <summary>Loads an HF model directory; <paramref name="dtype"/> defaults to config.json's torch_dtype
    /// (float16 becomes float32 on CPU). Every file is checked against the others (config sizes against tensor
    /// shapes, tokenizer ids against vocab_size) before the model is built. <paramref name="cpuKernels"/>: see CausalLM.
    /// A PEFT adapter folder (adapter_config.json, no config.json) loads its base_model_name_or_path, a local folder,
    /// with the adapter attached.</summary>
    public static LoadedModel LoadPretrained(string dir, ScalarType? dtype = null, Device? device = null, CpuKernels cpuKernels = CpuKernels.Auto)
    {
        if (PeftAdapter.IsAdapter(dir) && !File.Exists(Path.Combine(dir, ModelInit.ConfigFileName))) return LoadAdapted(dir, dtype, device, cpuKernels);
        string configPath = Path.Combine(dir, ModelInit.ConfigFileName);
        var config = ModelConfig.Load(configPath);
        using var checkpoint = CheckpointReader.Open(dir);
        CheckpointAgreement.Check(config, configPath, checkpoint);
        var tokenizer = ByteLevelBpeTokenizer.Load(dir, config.VocabSize);
        device ??= CPU;
        var model = new CausalLM(config, dtype ?? DtypeOf(config, device), device, cpuKernels);
        try
        {
            ModuleCheckpoint.LoadInto(model, checkpoint);
            var generation = GenerationConfig.TryLoad(dir);
            int[] eos = config.EosTokenIds.Concat(generation?.EosTokenIds ?? []).Concat(tokenizer.EosId is { } e ? [e] : [])
                .Distinct().ToArray();
            model.eval();
            return new LoadedModel(model, tokenizer, eos, dir);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    static LoadedModel LoadAdapted(string dir, ScalarType? dtype, Device? device, CpuKernels cpuKernels)
    {
        (_, string? baseModel) = PeftAdapter.ReadConfig(dir);
        if (baseModel is null || !System.IO.Directory.Exists(baseModel))
            throw new FileNotFoundException($"{dir}: the adapter's base_model_name_or_path '{baseModel}' is not a local folder; "
                + "load its base model and attach the adapter, or merge them with `ispo lora merge`");
        LoadedModel policy = LoadPretrained(baseModel, dtype, device, cpuKernels);
        try
        {
            PeftAdapter.Load(policy.Model, dir);
            return policy;
        }
        catch
        {
            policy.Dispose();
            throw;
        }
    }

    static ScalarType DtypeOf(ModelConfig config, Device device) => config.TorchDtype switch
    {
        "bfloat16" => ScalarType.BFloat16,
        "float16" when device.type != DeviceType.CPU => ScalarType.Float16,
        _ => ScalarType.Float32,
    };

    public void Dispose() => Model.Dispose();
}
