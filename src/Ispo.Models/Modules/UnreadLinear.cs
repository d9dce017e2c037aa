// x·Wᵀ + b whose value nobody reads, only its gradients (Kernels.Linear's valueUnread: a checkpointed layer's output
// projection in its recompute), for any device and dtype: the forward returns zeros without computing the product;
// the backward is linear's own, as torch computes it for the flattened rows (mm's backward: g·W, and gᵀ·x as it takes
// it for a transposed weight).
using Ispo.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Ispo.Models.Modules;

internal sealed class UnreadLinear : SingleTensorFunction<UnreadLinear>
{
    public override string Name => nameof(UnreadLinear);

    /// <summary>Zeros shaped as x [...,K] · weight [N,K]ᵀ -> [...,N], with linear's gradients to x, weight and bias.</summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias) => bias is null ? apply(x, weight) : apply(x, weight, bias);

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        Tensor x = (Tensor)vars[0], weight = (Tensor)vars[1];
        bool hasBias = vars.Length > 2;
        ctx.save_for_backward([x, weight]);
        ctx.save_data("needs", (x.requires_grad, weight.requires_grad, hasBias && ((Tensor)vars[2]).requires_grad, hasBias));
        return Zeros(x, weight);
    }

    /// <summary>Zeros of the shape of x [...,K] · weight [N,K]ᵀ, in no memory of their own: an unread product.</summary>
    public static Tensor Zeros(Tensor x, Tensor weight) // -> [...,N]
    {
        long[] shape = [.. x.shape];
        shape[^1] = weight.shape[0];
        return zeros([1], x.dtype, x.device).expand(shape);
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad) => CustomBackward.Run(grad, () =>
    {
        List<Tensor> saved = ctx.get_saved_variables();
        (Tensor x, Tensor weight) = (saved[0], saved[1]);
        var needs = ((bool X, bool Weight, bool Bias, bool HasBias))ctx.get_data("needs");
        Tensor g = grad.reshape(-1, weight.shape[0]); // [M,N]
        Tensor gradX = needs.X ? g.mm(weight).view(x.shape) : null!;
        Tensor gradWeight = needs.Weight ? g.t().mm(x.reshape(-1, weight.shape[1])) : null!;
        return needs.HasBias ? [gradX, gradWeight, needs.Bias ? g.sum([0L]) : null!] : [gradX, gradWeight];
    });
}
