// SwiGLU feed-forward: down_proj(silu(gate_proj(x)) * up_proj(x)), no biases.
using Ispo.Models.Config;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Modules;

public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    public readonly Linear gate_proj, up_proj, down_proj;
    readonly Kernels kernels;

    internal Mlp(ModelConfig c, ScalarType dtype, Device? device, Kernels kernels) : base(nameof(Mlp))
    {
        this.kernels = kernels;
        gate_proj = nn.Linear(c.HiddenSize, c.IntermediateSize, hasBias: false, device: device, dtype: dtype);
        up_proj = nn.Linear(c.HiddenSize, c.IntermediateSize, hasBias: false, device: device, dtype: dtype);
        down_proj = nn.Linear(c.IntermediateSize, c.HiddenSize, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) => Forward(x, valueUnread: false); // [B,T,hidden] -> [B,T,hidden]

    /// <param name="valueUnread">See Kernels.Linear: the output is only back-propagated through.</param>
    internal Tensor Forward(Tensor x, bool valueUnread) // [B,T,hidden] -> [B,T,hidden]
    {
        using var scope = NewDisposeScope();
        if (kernels.InferenceProduct(x, gate_proj, up_proj) is { } gateUp) // [B,T,2I]: one matmul for both
        {
            long i = gateUp.shape[^1] / 2;
            Tensor fused = nn.functional.silu(gateUp.narrow(-1, 0, i)).mul_(gateUp.narrow(-1, i, i));
            return kernels.InferenceProduct(fused, down_proj)!.MoveToOuterDisposeScope();
        }
        Tensor gated = nn.functional.silu(kernels.Linear(gate_proj, x)) * kernels.Linear(up_proj, x);
        return kernels.Linear(down_proj, gated, valueUnread).MoveToOuterDisposeScope();
    }
}
