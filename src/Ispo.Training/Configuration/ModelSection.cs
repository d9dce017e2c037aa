// The recipe's `model:` section: which policy to train (a checkpoint on disk or a fresh model from a named preset), and
// how it runs. Not Ispo.Models.Config.ModelConfig, which is a checkpoint's config.json.
using Ispo.Models;
using Ispo.Models.Lora;
using Ispo.Models.Pretrained;
using Ispo.Models.Runtime;

namespace Ispo.Training.Configuration;

public enum ModelDtype { Float32, Bfloat16, Float16 }

public sealed record ModelSection : IValidatable
{
    /// <summary>HF directory or Ispo checkpoint to load; wins over <see cref="Preset"/> when both are set.</summary>
    public string? Path { get; init; }
    /// <summary>Named architecture to initialise randomly (one of <see cref="ModelInit.PresetNames"/>) when
    /// <see cref="Path"/> is null.</summary>
    public string? Preset { get; init; } = "tiny";
    /// <summary>Frozen reference policy π_θ0 for drift and KL; null means the initial policy itself.</summary>
    public string? BasePath { get; init; }
    public ModelDtype Dtype { get; init; } = ModelDtype.Float32;
    /// <summary>Where every tensor of the run lives: <c>cpu</c>, <c>cuda</c> (the current GPU) or <c>cuda:N</c>. A CUDA
    /// device needs the CUDA build (<c>-p:TorchBackend=cuda</c>); start-up refuses it otherwise.</summary>
    public string Device { get; init; } = "cpu";
    /// <summary>Torch intra-op threads; null leaves libtorch's default.</summary>
    public int? Threads { get; init; }
    /// <summary><c>off</c> runs libtorch's own operations only (what PyTorch would); <c>auto</c> adds Ispo's CPU
    /// kernels where they apply. Results agree to float rounding; the kernels are faster on x86 CPUs.</summary>
    public CpuKernels CpuKernels { get; init; } = CpuKernels.Auto;
    /// <summary>Train LoRA adapters on a frozen base (null: full fine-tuning). With LoRA and no base_path, the base
    /// policy π_θ0 is the same model with its adapters off.</summary>
    public LoraSection? Lora { get; init; }
    /// <summary>Keep only each decoder layer's input in a training forward and recompute the layer in backward: less
    /// activation memory for one more forward per layer.</summary>
    public bool GradientCheckpointing { get; init; }
    /// <summary>With a 2-byte dtype: keep fp32 master weights and AdamW state (verl's mixed precision); forward and
    /// backward run in the dtype on a copy rounded from the masters after each step. false: everything in the dtype
    /// (pure bf16). Checkpoints hold the model's dtype, so a resumed run restarts its masters from them.</summary>
    public bool MixedPrecision { get; init; }

    public IEnumerable<ConfigError> Validate() => Check.All(
        Check.That(Path is not null || Preset is not null, "path", "set model.path (a checkpoint) or model.preset (a fresh model)"),
        Check.That(Preset is null || ModelInit.PresetNames.Contains(Preset), "preset",
            $"unknown preset '{Preset}' (expected one of: {string.Join(", ", ModelInit.PresetNames)})"),
        Check.That(Threads is null or >= 1, "threads", $"expected at least 1, got {Threads}"),
        Check.That(TorchDevices.Problem(Device) is null, "device", TorchDevices.Problem(Device) ?? ""),
        Check.That(!MixedPrecision || Dtype != ModelDtype.Float32, "mixed_precision", "keeps fp32 masters of a 2-byte model: set model.dtype to bfloat16 (or float16)"));
}

/// <summary>`model.lora`: PEFT's LoraConfig fields under Ispo's names (rank = r, alpha = lora_alpha).</summary>
public sealed record LoraSection : IValidatable
{
    public int Rank { get; init; } = 16;
    public double Alpha { get; init; } = 32;
    public double Dropout { get; init; }
    /// <summary>Projection names of each decoder layer (default: attention and MLP, all seven).</summary>
    public IReadOnlyList<string> TargetModules { get; init; } = LoraOptions.Projections;
    /// <summary>Scale alpha/√rank instead of alpha/rank (PEFT's use_rslora).</summary>
    public bool UseRslora { get; init; }

    public LoraOptions ToOptions() => new() { Rank = Rank, Alpha = Alpha, Dropout = Dropout, TargetModules = TargetModules, UseRslora = UseRslora };

    public IEnumerable<ConfigError> Validate() => ToOptions().Problems().Select(p => new ConfigError(p.Field, p.Message));
}
