// Token rows packed into one left-padded batch, as the sampler's prefill and the shared-prefix scorer feed them.
using static TorchSharp.torch;

namespace Ispo.Models.Modules;

internal static class LeftPadding
{
    /// <summary>Ids [N,T] (T = longest row) and the real-token mask [N,T] int64, or null when no row is padded.</summary>
    public static (Tensor Ids, Tensor? Mask) Pack(IReadOnlyList<IReadOnlyList<int>> rows, Device device)
    {
        int width = rows.Max(r => r.Count);
        var ids = new long[rows.Count * width];
        var mask = new long[rows.Count * width];
        for (int r = 0; r < rows.Count; r++)
            for (int i = 0; i < rows[r].Count; i++)
            {
                int at = r * width + width - rows[r].Count + i;
                ids[at] = rows[r][i];
                mask[at] = 1;
            }
        Tensor? maskT = rows.All(r => r.Count == width) ? null : tensor(mask, [rows.Count, width], device: device);
        return (tensor(ids, [rows.Count, width], device: device), maskT);
    }
}
