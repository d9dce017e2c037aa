// An inference-only copy of one or more Linear weights, concatenated along the output dim. fp32 with AVX2: packed
// once for our own kernel (PackedWeight). Otherwise (bf16, or an older CPU) transposed to [in, out] so that x·W runs
// as a plain matmul (MKL's transposed-gemv path for one row is ~2.5× slower).
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Cpu;

internal sealed class InferenceCopy : IDisposable
{
    readonly Tensor? weightT;     // [in, Σout] when not packed
    readonly Tensor? bias;        // [Σout] when not packed
    readonly PackedWeight? packed;

    /// <summary>The packed copy, when this weight runs on our own kernel.</summary>
    internal PackedWeight? Packed => packed;

    /// <param name="weightOf">The weight each part multiplies by (its own, or one with an adapter folded in).</param>
    public InferenceCopy(Linear[] parts, Func<Linear, Tensor> weightOf)
        : this([.. parts.Select(weightOf)], parts[0].bias is null ? null : [.. parts.Select(p => p.bias!)])
    {
    }

    /// <summary>Packs fp32 CPU weights for PackedWeight where the CPU allows.</summary>
    public InferenceCopy(Tensor weight, Tensor? biasValues = null) // [out, in], [out]
        : this([weight], biasValues is null ? null : [biasValues])
    {
    }

    InferenceCopy(Tensor[] weights, Tensor[]? biases) // [out_i, in] each, [out_i] each
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Tensor weight = Concat(weights);
        Tensor? bias = biases is null ? null : Concat(biases);
        if (weight.dtype == ScalarType.Float32 && weight.device_type == DeviceType.CPU && PackedWeight.IsSupported)
        {
            packed = Pack(weight, bias);
            return;
        }
        weightT = weight.t().contiguous().DetachFromDisposeScope();
        this.bias = bias?.DetachFromDisposeScope();
    }

    /// <summary>The parts side by side along the output dim, contiguous (a single contiguous part is not copied).</summary>
    static Tensor Concat(Tensor[] parts) => parts.Length == 1 ? parts[0].contiguous() : cat(parts, 0);

    public Tensor Apply(Tensor x) // [..., in] -> [..., Σout]
    {
        if (packed is not null && x.dtype == ScalarType.Float32 && x.device_type == DeviceType.CPU) return ApplyPacked(x);
        Tensor y = x.matmul(weightT!);
        return bias is null ? y : y.add_(bias);
    }

    unsafe Tensor ApplyPacked(Tensor x)
    {
        using var scope = NewDisposeScope();
        Tensor input = x.is_contiguous() ? x : x.contiguous();
        long[] shape = [.. x.shape];
        shape[^1] = packed!.N;
        Tensor y = empty(shape, ScalarType.Float32);
        int m = (int)(x.numel() / packed.K);
        if (m > 0) packed.Multiply(TensorPointers.Floats(input), m, TensorPointers.Floats(y), get_num_threads());
        return y.MoveToOuterDisposeScope();
    }

    static unsafe PackedWeight Pack(Tensor weight, Tensor? bias) => // [out, in] contiguous, [out]
        new(TensorPointers.Floats(weight), (int)weight.shape[0], (int)weight.shape[1], bias is null ? null : TensorPointers.Floats(bias));

    public void Dispose()
    {
        weightT?.Dispose();
        bias?.Dispose();
        packed?.Dispose();
    }
}
