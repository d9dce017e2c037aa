// An inference-only copy of one or more Linear weights, concatenated along the output dim and transposed to
// [in, out] so that x·W runs as a plain matmul (MKL's transposed-gemv path for one row is ~2.5× slower).
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Modules;

internal sealed class FrozenWeight : IDisposable
{
    readonly Tensor weightT; // [in, Σout]
    readonly Tensor? bias;   // [Σout]

    public FrozenWeight(params Linear[] parts)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        weightT = cat(parts.Select(p => p.weight!).ToArray(), 0).t().contiguous().DetachFromDisposeScope();
        bias = parts[0].bias is null ? null : cat(parts.Select(p => p.bias!).ToArray(), 0).DetachFromDisposeScope();
    }

    public FrozenWeight(Tensor weight) // [out, in]
    {
        using var _ = no_grad();
        weightT = weight.t().contiguous().DetachFromDisposeScope();
    }

    public Tensor Apply(Tensor x) // [..., in] -> [..., Σout]
    {
        Tensor y = x.matmul(weightT);
        return bias is null ? y : y.add_(bias);
    }

    public void Dispose()
    {
        weightT.Dispose();
        bias?.Dispose();
    }
}
