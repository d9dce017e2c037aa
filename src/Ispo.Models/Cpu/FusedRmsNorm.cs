// RMSNorm of fp32 CPU tensors through RmsNormKernels, with its own backward (a TorchSharp custom autograd function).
// It runs on the calling thread: splitting the rows over the .NET thread pool made each call faster but whole training
// steps 2–5% slower (in alternating steps), its threads competing with libtorch's OpenMP threads. The backward frees
// what it holds as it returns (CustomBackward).
using Ispo.Models.Runtime;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Ispo.Models.Cpu;

internal sealed unsafe class FusedRmsNorm : SingleTensorFunction<FusedRmsNorm>
{
    public override string Name => nameof(FusedRmsNorm);

    public static bool Supports(Tensor x, Tensor weight) =>
        Avx2.IsSupported && x.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32
        && x.device_type == DeviceType.CPU && weight.device_type == DeviceType.CPU && x.numel() > 0;

    /// <summary>x·rsqrt(mean(x²)+eps)·w over the last dim; x [...,H], w [H].</summary>
    public static Tensor Apply(Tensor x, Tensor weight, double eps)
    {
        if (is_grad_enabled() && (x.requires_grad || weight.requires_grad)) return apply(x, weight, eps);
        using var _ = no_grad();
        return Normalize(x.contiguous(), weight.contiguous(), eps, keepInverseRms: false).Y;
    }

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        Tensor x = ((Tensor)vars[0]).contiguous(), weight = ((Tensor)vars[1]).contiguous();
        (Tensor y, Tensor? inverseRms) = Normalize(x, weight, (double)vars[2], keepInverseRms: true);
        ctx.save_for_backward([x, weight, inverseRms!]);
        return y;
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad) => CustomBackward.Run(grad, () =>
    {
        List<Tensor> saved = ctx.get_saved_variables();
        (Tensor x, Tensor weight, Tensor inverseRms) = (saved[0], saved[1], saved[2]);
        Tensor g = grad.contiguous(), gradX = empty_like(x), gradWeight = zeros_like(weight);
        int h = (int)weight.shape[0], rows = (int)(x.numel() / h);
        RmsNormKernels.Backward(Floats(x), Floats(weight), Floats(g), Floats(inverseRms), Floats(gradX), Floats(gradWeight), rows, h);
        return [gradX, gradWeight, null!];
    });

    static (Tensor Y, Tensor? InverseRms) Normalize(Tensor x, Tensor weight, double eps, bool keepInverseRms) // contiguous
    {
        int h = (int)weight.shape[0], rows = (int)(x.numel() / h);
        if (x.shape[^1] != h) throw new ArgumentException($"RMSNorm over {h} features got input of shape [{string.Join(", ", x.shape)}]");
        Tensor y = empty_like(x);
        Tensor? inverseRms = keepInverseRms ? empty(rows) : null;
        RmsNormKernels.Forward(Floats(x), Floats(weight), Floats(y), inverseRms is null ? null : Floats(inverseRms), rows, h, (float)eps);
        return (y, inverseRms);
    }

    static float* Floats(Tensor t) => TensorPointers.Floats(t);
}
