// libtorch's intra-op thread count is process-wide; this sets it for a scope and restores it afterwards.
using TorchSharp;

namespace Ispo.Models.Runtime;

public sealed class TorchThreads : IDisposable
{
    readonly int previous;

    TorchThreads(int threads)
    {
        previous = torch.get_num_threads();
        torch.set_num_threads(threads);
    }

    /// <summary>Uses <paramref name="threads"/> until disposed; null leaves libtorch's default.</summary>
    public static IDisposable Use(int? threads) => threads is int n ? new TorchThreads(n) : NoChange.Instance;

    public void Dispose() => torch.set_num_threads(previous);

    sealed class NoChange : IDisposable
    {
        public static readonly NoChange Instance = new();
        public void Dispose() { }
    }
}
