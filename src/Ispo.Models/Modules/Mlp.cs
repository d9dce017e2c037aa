// SwiGLU feed-forward: down_proj(silu(gate_proj(x)) * up_proj(x)), no biases.
using Ispo.Models.Config;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Modules;

public sealed class Mlp : nn.Module<Tensor, Tensor>
{
    public readonly Linear gate_proj, up_proj, down_proj;
    FrozenWeight? frozenGateUp, frozenDown; // inference-only fused copies, see CausalLM.FreezeForInference
    internal FrozenWeight? FrozenGateUp => frozenGateUp;
    internal FrozenWeight? FrozenDown => frozenDown;

    public Mlp(ModelConfig c, ScalarType dtype, Device? device) : base(nameof(Mlp))
    {
        gate_proj = nn.Linear(c.HiddenSize, c.IntermediateSize, hasBias: false, device: device, dtype: dtype);
        up_proj = nn.Linear(c.HiddenSize, c.IntermediateSize, hasBias: false, device: device, dtype: dtype);
        down_proj = nn.Linear(c.IntermediateSize, c.HiddenSize, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) // [B,T,hidden] -> [B,T,hidden]
    {
        using var scope = NewDisposeScope();
        if (frozenGateUp is not null && !is_grad_enabled())
        {
            Tensor gateUp = frozenGateUp.Apply(x); // [B,T,2I]
            long i = gateUp.shape[^1] / 2;
            Tensor fused = nn.functional.silu(gateUp.narrow(-1, 0, i)).mul_(gateUp.narrow(-1, i, i));
            return frozenDown!.Apply(fused).MoveToOuterDisposeScope();
        }
        Tensor gated = nn.functional.silu(FusedLinear.Forward(gate_proj, x)) * FusedLinear.Forward(up_proj, x);
        return FusedLinear.Forward(down_proj, gated).MoveToOuterDisposeScope();
    }

    internal void Freeze(bool ownKernels)
    {
        Thaw();
        frozenGateUp = new FrozenWeight(ownKernels, gate_proj, up_proj);
        frozenDown = new FrozenWeight(ownKernels, down_proj);
    }

    internal void Thaw()
    {
        frozenGateUp?.Dispose();
        frozenDown?.Dispose();
        (frozenGateUp, frozenDown) = (null, null);
    }
}
