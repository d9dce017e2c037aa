// log_softmax(logits/τ) at given tokens for fp32 CPU logits [N,V], with its own backward (a TorchSharp custom
// autograd function). Composed of torch ops (log_softmax, gather) a training step writes the [N,V] log-softmax
// forward and, backward, a zero-filled scatter and the softmax gradient: ~6 passes over the largest tensor of a
// step. Here the forward reads the logits twice (max, then Σ exp) and the backward writes (onehot − p)·g/τ once, on
// the calling thread (see FusedRmsNorm for why).
using Ispo.Models.Runtime;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.autograd;

namespace Ispo.Models.Cpu;

internal sealed unsafe class FusedTokenLogProbs : SingleTensorFunction<FusedTokenLogProbs>
{
    public override string Name => nameof(FusedTokenLogProbs);

    public static bool Supports(Tensor logits, Tensor tokens) =>
        Avx2.IsSupported && logits.dtype == ScalarType.Float32 && logits.device_type == DeviceType.CPU && logits.dim() == 2
        && logits.numel() > 0 && tokens.dtype == ScalarType.Int64 && tokens.device_type == DeviceType.CPU && tokens.dim() == 1
        && tokens.shape[0] == logits.shape[0];

    /// <summary>[N] log_softmax(logits/τ)[n, tokens[n]] of logits [N,V] and tokens [N].</summary>
    public static Tensor Apply(Tensor logits, Tensor tokens, double temperature)
    {
        CheckTokens(tokens, logits.shape[1]);
        if (is_grad_enabled() && logits.requires_grad) return apply(logits, tokens, temperature);
        using var _ = no_grad();
        return Forward(logits.contiguous(), tokens.contiguous(), (float)(1 / temperature)).LogProbs;
    }

    public override Tensor forward(AutogradContext ctx, params object[] vars)
    {
        Tensor logits = ((Tensor)vars[0]).contiguous(), tokens = ((Tensor)vars[1]).contiguous();
        float inverseTemperature = (float)(1 / (double)vars[2]);
        (Tensor logProbs, Tensor logSumExp) = Forward(logits, tokens, inverseTemperature);
        ctx.save_for_backward([logits, tokens, logSumExp]);
        ctx.save_data("inverseTemperature", inverseTemperature);
        return logProbs;
    }

    public override List<Tensor> backward(AutogradContext ctx, Tensor grad) => CustomBackward.Run(grad, () =>
    {
        List<Tensor> saved = ctx.get_saved_variables();
        (Tensor logits, Tensor tokens, Tensor logSumExp) = (saved[0], saved[1], saved[2]);
        float inverseTemperature = (float)ctx.get_data("inverseTemperature");
        Tensor g = grad.contiguous(), gradLogits = empty_like(logits);
        int v = (int)logits.shape[1];
        float* x = TensorPointers.Floats(logits), lse = TensorPointers.Floats(logSumExp), upstream = TensorPointers.Floats(g);
        float* output = TensorPointers.Floats(gradLogits);
        long* ids = Longs(tokens);
        for (long r = 0; r < logits.shape[0]; r++)
            RowGradient(x + r * v, v, lse[r], ids[r], upstream[r] * inverseTemperature, inverseTemperature, output + r * v);
        return [gradLogits, null!, null!];
    });

    static (Tensor LogProbs, Tensor LogSumExp) Forward(Tensor logits, Tensor tokens, float inverseTemperature) // contiguous
    {
        long n = logits.shape[0];
        int v = (int)logits.shape[1];
        Tensor logProbs = empty(n), logSumExp = empty(n);
        float* x = TensorPointers.Floats(logits), lp = TensorPointers.Floats(logProbs), lse = TensorPointers.Floats(logSumExp);
        long* ids = Longs(tokens);
        for (long r = 0; r < n; r++)
        {
            float* row = x + r * v;
            lse[r] = LogSumExp(row, v, inverseTemperature);
            lp[r] = row[ids[r]] * inverseTemperature - lse[r];
        }
        return (logProbs, logSumExp);
    }

    /// <summary>log Σ exp(x·s) over one row: the max, then the sum of exponentials.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static float LogSumExp(float* x, int v, float s)
    {
        float max = DecodeKernels.MaxOrNaN(x, v);
        if (float.IsNaN(max) || float.IsPositiveInfinity(max)) return float.NaN; // as torch
        float m = max * s; // s > 0: the max of the scaled row
        if (float.IsNegativeInfinity(m)) return m;
        var sum = Vector256<float>.Zero;
        var vm = Vector256.Create(m);
        var vs = Vector256.Create(s);
        int j = 0;
        for (; j <= v - 8; j += 8) sum += DecodeKernels.Exp(Vector256.Load(x + j) * vs - vm);
        float total = Vector256.Sum(sum);
        for (; j < v; j++) total += MathF.Exp(x[j] * s - m);
        return m + MathF.Log(total);
    }

    /// <summary>out = (onehot(token) − softmax(x·s))·gs for one row, with gs = upstream gradient · s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    static void RowGradient(float* x, int v, float lse, long token, float gs, float s, float* output)
    {
        var vs = Vector256.Create(s);
        var vl = Vector256.Create(lse);
        var vg = Vector256.Create(-gs);
        int j = 0;
        for (; j <= v - 8; j += 8) (DecodeKernels.Exp(Vector256.Load(x + j) * vs - vl) * vg).Store(output + j);
        for (; j < v; j++) output[j] = MathF.Exp(x[j] * s - lse) * -gs;
        output[token] += gs;
    }

    static void CheckTokens(Tensor tokens, long v)
    {
        if (tokens.numel() == 0) return;
        using var _ = no_grad();
        long low = tokens.min().item<long>(), high = tokens.max().item<long>();
        if (low < 0 || high >= v)
            throw new ArgumentOutOfRangeException(nameof(tokens), $"token ids must be in [0, {v}); got [{low}, {high}]");
    }

    static long* Longs(Tensor int64) => (long*)TensorPointers.Floats(int64); // the first element's address, whatever the dtype
}
