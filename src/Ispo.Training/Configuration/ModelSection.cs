// The recipe's `model:` section: which policy to train (a checkpoint on disk or a fresh model from a named preset), and
// how it runs. Not Ispo.Models.Config.ModelConfig, which is a checkpoint's config.json.
using Ispo.Models;
using Ispo.Models.Pretrained;

namespace Ispo.Training.Configuration;

public enum ModelDtype { Float32, Bfloat16, Float16 }

[RetiredKey("device", "delete it: it was never read, and this build runs on the CPU only (libtorch-cpu); a CUDA device needs a build against TorchSharp-cuda")]
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
    /// <summary>Torch intra-op threads; null leaves libtorch's default.</summary>
    public int? Threads { get; init; }
    /// <summary><c>off</c> runs libtorch's own operations only (what PyTorch would); <c>auto</c> adds Ispo's CPU
    /// kernels where they apply. Results agree to float rounding; the kernels are faster on x86 CPUs.</summary>
    public CpuKernels CpuKernels { get; init; } = CpuKernels.Auto;

    public IEnumerable<ConfigError> Validate() => Check.All(
        Check.That(Path is not null || Preset is not null, "path", "set model.path (a checkpoint) or model.preset (a fresh model)"),
        Check.That(Preset is null || ModelInit.PresetNames.Contains(Preset), "preset",
            $"unknown preset '{Preset}' (expected one of: {string.Join(", ", ModelInit.PresetNames)})"),
        Check.That(Threads is null or >= 1, "threads", $"expected at least 1, got {Threads}"));
}
