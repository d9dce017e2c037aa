// Root-mean-square layer norm (HF LlamaRMSNorm / Qwen2RMSNorm): normalises in fp32, scales in the model dtype.
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Modules;

public sealed class RMSNorm : nn.Module<Tensor, Tensor>
{
    readonly double eps;
    readonly Kernels kernels;
    public readonly Parameter weight; // [hidden]

    internal RMSNorm(long hidden, double eps, ScalarType dtype, Device? device, Kernels kernels) : base(nameof(RMSNorm))
    {
        (this.eps, this.kernels) = (eps, kernels);
        weight = new Parameter(ones(hidden, dtype: dtype, device: device).DetachFromDisposeScope());
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) // [...,hidden] -> same
    {
        if (kernels.Backend?.RmsNorm(x, weight, eps) is { } fused) return fused;
        using var scope = NewDisposeScope();
        Tensor x32 = x.dtype == ScalarType.Float32 ? x : x.to(ScalarType.Float32);
        Tensor normed = x32 * x32.square().mean([-1L], keepdim: true).add_(eps).rsqrt_();
        if (x.dtype != ScalarType.Float32) normed = normed.to(x.dtype);
        return (weight * normed).MoveToOuterDisposeScope();
    }
}
