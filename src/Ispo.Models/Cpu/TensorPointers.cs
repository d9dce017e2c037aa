// Raw addresses of CPU tensors' data, for the kernels that read and write it directly.
using Ispo.Models.Checkpoints;
using static TorchSharp.torch;

namespace Ispo.Models.Cpu;

internal static unsafe class TensorPointers
{
    /// <summary>The first float of a non-empty contiguous fp32 CPU tensor.</summary>
    public static float* Floats(Tensor tensor) =>
        (float*)(TensorBytes.DataPointer(tensor) ?? throw new ArgumentException("expected a non-empty contiguous CPU tensor"));
}
