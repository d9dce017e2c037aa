// Splitting a kernel's rows over torch's thread count, for the fused training kernels (norm, token log-probs).
namespace Ispo.Models.Runtime;

internal static class RowSplit
{
    const long SerialFloats = 1 << 15; // below this a second thread costs more than it saves

    /// <summary>How many parts <paramref name="rows"/> rows of <paramref name="floatsPerRow"/> floats go in.</summary>
    public static int Parts(long rows, long floatsPerRow) =>
        rows * floatsPerRow < SerialFloats ? 1 : (int)Math.Clamp(TorchSharp.torch.get_num_threads(), 1, Math.Max(1, rows));

    /// <summary>body(firstRow, endRow, part) for each of <paramref name="parts"/> contiguous row ranges, in parallel.</summary>
    public static void Run(long rows, int parts, Action<long, long, int> body)
    {
        if (parts == 1) body(0, rows, 0);
        else Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts },
            p => body(rows * p / parts, rows * (p + 1) / parts, p));
    }
}
