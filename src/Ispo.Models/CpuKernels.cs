// The user's switch for the hand-written CPU kernels (model.cpu_kernels in a recipe).
namespace Ispo.Models;

public enum CpuKernels
{
    /// <summary>Ispo's own kernels wherever they apply (fp32 on an x86 CPU with AVX2; some need AVX-512).</summary>
    Auto,
    /// <summary>libtorch's own operations only: what PyTorch would run.</summary>
    Off,
}
