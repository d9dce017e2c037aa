// y = x·Wᵀ + b for fp32 CPU tensors on our AVX-512 kernels (PackedWeight), forward and backward, as a TorchSharp
// custom autograd function. libtorch's MKL runs AVX2-only kernels on AMD CPUs: at the "10M" model's training shapes
// it reached 110–160 GFLOPS on 2 cores where these reach 230–330 in a training step, and a step is ~75% matmuls.
// The forward packs the weight (a pass over it, small next to the M·N·K product); the backward multiplies by
// row-major operands in place. Without AVX-512, torch's linear is as fast as our AVX2 kernel, so it is used there.
using Ispo.Models.Modules;
using Ispo.Models.Runtime;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Ispo.Models.Cpu;

internal sealed unsafe class PackedLinear : SingleTensorFunction<PackedLinear>
{
    public override string Name => nameof(PackedLinear);

    /// <summary>Whether x·Wᵀ runs here: fp32 CPU tensors on an AVX-512 machine, with at least one row.</summary>
    public static bool Supports(Tensor x, Tensor weight) =>
        PackedWeight.IsSupported && PackedWeight.WideByDefault && x.dtype == ScalarType.Float32 && weight.dtype == ScalarType.Float32
        && x.device_type == DeviceType.CPU && weight.device_type == DeviceType.CPU && x.numel() > 0;

    /// <summary>x [...,K] · weight [N,K]ᵀ + bias [N] (null: none) -> [...,N]. With <paramref name="valueUnread"/> the
    /// product is not computed (the result holds zeros) and only its gradients are: see Kernels.Linear.</summary>
    public static Tensor Apply(Tensor x, Tensor weight, Tensor? bias, bool valueUnread = false)
    {
        if (is_grad_enabled() && (x.requires_grad || weight.requires_grad || bias?.requires_grad == true))
            return bias is null ? apply(x, weight, valueUnread) : apply(x, weight, bias, valueUnread);
        using var _ = no_grad();
        return valueUnread ? UnreadLinear.Zeros(x, weight) : Project(x.contiguous(), weight.contiguous(), bias?.contiguous());
    }

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        Tensor x = ((Tensor)vars[0]).contiguous(), weight = ((Tensor)vars[1]).contiguous();
        Tensor? bias = vars.Length > 3 ? ((Tensor)vars[2]).contiguous() : null;
        ctx.save_for_backward([x, weight]);
        ctx.save_data("bias", bias is not null);
        // which gradients to compute: a frozen (LoRA) weight needs none, and neither does the first layer's input then
        ctx.save_data("needs", (((Tensor)vars[0]).requires_grad, ((Tensor)vars[1]).requires_grad, bias?.requires_grad == true));
        return (bool)vars[^1] ? UnreadLinear.Zeros(x, weight) : Project(x, weight, bias);
    }

    /// <summary>gx = g·W, gW = gᵀ·x, gb = Σ_rows g; each only where its input needs it.</summary>
    public override List<Tensor> backward(AutogradContext ctx, Tensor grad) => CustomBackward.Run(grad, () =>
    {
        List<Tensor> saved = ctx.get_saved_variables();
        (Tensor x, Tensor weight) = (saved[0], saved[1]);
        int n = (int)weight.shape[0], k = (int)weight.shape[1], m = (int)(x.numel() / k);
        var needs = ((bool X, bool Weight, bool Bias))ctx.get_data("needs");
        Tensor g = grad.contiguous().view(m, n);
        Tensor gradX = needs.X ? Multiply(g, weight).view(x.shape) : null!;
        Tensor gradWeight = needs.Weight ? WeightGradient(g, x.view(m, k)) : null!;
        return (bool)ctx.get_data("bias") ? [gradX, gradWeight, needs.Bias ? g.sum([0L]) : null!, null!] : [gradX, gradWeight, null!]; // x, weight, bias, valueUnread
    });

    /// <summary>x [...,K] · weight [N,K]ᵀ + bias, all contiguous.</summary>
    static Tensor Project(Tensor x, Tensor weight, Tensor? bias)
    {
        int n = (int)weight.shape[0], k = (int)weight.shape[1];
        if (x.shape[^1] != k) throw new ArgumentException($"linear over {k} features got input of shape [{string.Join(", ", x.shape)}]");
        long[] shape = [.. x.shape];
        shape[^1] = n;
        Tensor y = empty(shape, ScalarType.Float32);
        using var packed = new PackedWeight(Floats(weight), n, k, bias is null ? null : Floats(bias), wide: true);
        packed.Multiply(Floats(x), (int)(x.numel() / k), Floats(y), get_num_threads());
        return y;
    }

    /// <summary>gᵀ·x for g [M,N] and x [M,K], contiguous. The transposed copy goes to the narrower side: gᵀ·x when g
    /// is no wider than x, else (xᵀ·g)ᵀ, so that the head's gradient [M, vocab] is never transposed.</summary>
    static Tensor WeightGradient(Tensor g, Tensor x)
    {
        int n = (int)g.shape[1], k = (int)x.shape[1];
        if (n <= k)
        {
            using Tensor gT = Transposed(g);
            return Multiply(gT, x);
        }
        using Tensor xT = Transposed(x), gradT = Multiply(xT, g);
        return Transposed(gradT);
    }

    /// <summary>a [M,R] · b [R,C], both contiguous.</summary>
    static Tensor Multiply(Tensor a, Tensor b)
    {
        int m = (int)a.shape[0], r = (int)a.shape[1], c = (int)b.shape[1];
        Tensor y = empty(m, c);
        using var packed = PackedWeight.FromRows(Floats(b), r, c, wide: true);
        packed.Multiply(Floats(a), m, Floats(y), get_num_threads());
        return y;
    }

    /// <summary>aᵀ for a [R,C] contiguous.</summary>
    static Tensor Transposed(Tensor a)
    {
        int r = (int)a.shape[0], c = (int)a.shape[1];
        Tensor t = empty(c, r);
        PackedWeight.Transpose(Floats(a), r, c, Floats(t));
        return t;
    }

    static float* Floats(Tensor t) => TensorPointers.Floats(t);
}
