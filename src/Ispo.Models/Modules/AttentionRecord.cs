// What a checkpointed layer's first forward keeps of its attention so that the recompute can skip it: the output and
// the per-query log-sum-exp of the backend's attention kernel, which its backward needs besides q, k and v.
using static TorchSharp.torch;

namespace Ispo.Models.Modules;

internal sealed class AttentionRecord : IDisposable
{
    /// <summary>An empty record, for a forward to keep its output in.</summary>
    public AttentionRecord()
    {
    }

    /// <summary>A record of what a forward kept (saved for the backward), which this record disposes.</summary>
    public AttentionRecord(Tensor output, Tensor logSumExp) => (Output, LogSumExp) = (output, logSumExp);

    /// <summary>softmax(q·kᵀ/√D + mask)·v, as the kernel computed it.</summary>
    public Tensor? Output { get; private set; } // [B,H,T,D]

    public Tensor? LogSumExp { get; private set; } // [B,H,T]

    /// <summary>Keeps the kernel's results (new handles, outside every dispose scope; Dispose frees them).</summary>
    public void Keep(Tensor output, Tensor logSumExp)
    {
        Output = output.detach().DetachFromDisposeScope();
        LogSumExp = logSumExp.detach().DetachFromDisposeScope();
    }

    public void Dispose()
    {
        Output?.Dispose();
        LogSumExp?.Dispose();
    }
}
