// Gradient (activation) checkpointing of one decoder layer, as PyTorch's reentrant torch.utils.checkpoint: the forward
// runs without recording and keeps only the layer's input; the backward runs the layer again with gradients and
// back-propagates through it, which accumulates the parameters' gradients and yields the input's. Activation memory
// of a training forward drops from every layer's intermediates to one [B,T,hidden] input per layer, for one more
// forward per layer. Plain TorchSharp: it runs on any device, and the recompute uses the kernels backend as usual.
using Ispo.Models.Lora;
using Ispo.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Ispo.Models.Modules;

internal sealed class LayerCheckpoint : SingleTensorFunction<LayerCheckpoint>
{
    public override string Name => nameof(LayerCheckpoint);

    /// <summary>What the recompute needs besides the saved tensors: the layer, and the random state its LoRA dropout
    /// drew from in the forward (restored for the recompute, so that it draws the same masks).</summary>
    sealed record Recompute(DecoderLayer Layer, int Index, bool HasMask, bool InputNeedsGrad, bool AdaptersSuspended, Generator? Dropout,
        byte[]? DropoutState);

    public static Tensor Apply(DecoderLayer layer, Tensor h, Tensor cos, Tensor sinSigned, Tensor? mask, int index, Generator? dropout) // [B,T,hidden]
    {
        // The function is recorded only when one of its inputs needs a gradient, and the layer's parameters are not its
        // inputs: with frozen embeddings (LoRA) the first layer's input needs none, so an empty anchor does.
        Tensor anchor = h.requires_grad ? h : empty(0, device: h.device).requires_grad_(true);
        var recompute = new Recompute(layer, index, mask is not null, h.requires_grad, LoraAdapters.Suspended, dropout,
            dropout is null ? null : State(dropout));
        return mask is null ? apply(h, cos, sinSigned, anchor, recompute) : apply(h, cos, sinSigned, anchor, mask, recompute);
    }

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        var recompute = (Recompute)vars[^1];
        Tensor h = (Tensor)vars[0], cos = (Tensor)vars[1], sin = (Tensor)vars[2];
        Tensor? mask = recompute.HasMask ? (Tensor)vars[4] : null;
        ctx.save_for_backward(mask is null ? [h, cos, sin] : [h, cos, sin, mask]);
        ctx.save_data(nameof(Recompute), recompute);
        return recompute.Layer.Forward(h, cos, sin, mask, null, recompute.Index); // apply runs this without gradients
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad) => CustomBackward.Run(grad, () =>
    {
        var recompute = (Recompute)ctx.get_data(nameof(Recompute));
        List<Tensor> saved = ctx.get_saved_variables();
        Tensor input = saved[0].detach().requires_grad_(recompute.InputNeedsGrad);
        Tensor? mask = recompute.HasMask ? saved[3] : null;
        byte[]? resumeState = recompute.Dropout is null ? null : State(recompute.Dropout);
        if (recompute.DropoutState is { } state) recompute.Dropout!.set_state(tensor(state, device: CPU)); // a generator's state is a host tensor, whatever its device
        using (enable_grad())
        using (recompute.AdaptersSuspended ? LoraAdapters.Suspend() : null)
        {
            Tensor output = recompute.Layer.Forward(input, saved[1], saved[2], mask, null, recompute.Index);
            output.backward([grad]);
        }
        if (resumeState is not null) recompute.Dropout!.set_state(tensor(resumeState, device: CPU)); // later draws as without checkpointing
        Tensor?[] grads = [input.grad, null, null, null, .. recompute.HasMask ? new Tensor?[] { null } : [], null]; // h, cos, sin, anchor, mask, recompute
        return [.. grads.Select(g => g!)];
    });

    static byte[] State(Generator generator)
    {
        using Tensor state = generator.get_state();
        return state.data<byte>().ToArray();
    }
}
