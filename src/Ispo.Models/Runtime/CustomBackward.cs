// Memory of our custom autograd functions' backward passes. TorchSharp wraps every tensor a backward receives (the
// upstream gradient, the saved tensors) or makes in a managed Tensor registered with the current dispose scope: the one
// around the caller's backward() call. Each wrapper keeps its storage alive until that scope ends, so a training step
// would hold every saved activation and every gradient to its end, where libtorch frees each as soon as it is used.
using static TorchSharp.torch;

namespace Ispo.Models.Runtime;

internal static class CustomBackward
{
    [ThreadStatic] static List<Tensor>? handedOver;

    /// <summary>Runs a backward body in its own dispose scope: its temporaries, the wrappers of the saved tensors it read
    /// and of the gradient it received are freed when it returns. The gradients it returns are freed at the next call
    /// on this thread: libtorch has taken its own references by then (it reads them as the body returns). A body may
    /// itself run a backward (LayerCheckpoint's recompute): the last inner outputs are freed as it returns.</summary>
    public static List<Tensor> Run(Tensor grad, Func<List<Tensor>> body)
    {
        Release();
        List<Tensor> outputs;
        using (NewDisposeScope())
        {
            outputs = body();
            foreach (Tensor? output in outputs) output?.DetachFromDisposeScope();
        }
        Release(); // what a nested backward handed over last
        if (!outputs.Any(output => ReferenceEquals(output, grad))) grad.Dispose();
        handedOver = outputs;
        return outputs;
    }

    static void Release()
    {
        foreach (Tensor? output in handedOver ?? []) output?.Dispose();
        handedOver = null;
    }
}
