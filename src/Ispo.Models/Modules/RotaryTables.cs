// Precomputed RoPE cos/sin tables (fp32, grown on demand) and their application in rotate-half layout.
using Ispo.Models.Config;
using static TorchSharp.torch;

namespace Ispo.Models.Modules;

public sealed class RotaryTables : IDisposable
{
    readonly float[] invFreq; // [D/2]
    readonly int headDim;
    Tensor cos = null!;        // [N,D] float32
    Tensor sinSigned = null!;  // [N,D] float32: (-sin, +sin) so rotate_half(x)·sin = roll(x)·sinSigned
    public int Length { get; private set; }

    public RotaryTables(ModelConfig config, int initialLength, Device? device)
    {
        headDim = config.HeadDim;
        double[] freqs = Enumerable.Range(0, headDim / 2).Select(i => 1.0 / Math.Pow(config.RopeTheta, 2.0 * i / headDim)).ToArray();
        if (config.RopeScaling is { } scaling) freqs = scaling.Apply(freqs);
        invFreq = freqs.Select(f => (float)f).ToArray();
        Build(Math.Max(1, initialLength), device);
    }

    void Build(int length, Device? device)
    {
        cos?.Dispose();
        sinSigned?.Dispose();
        using var scope = NewDisposeScope();
        Tensor angles = outer(arange(length, dtype: ScalarType.Float32, device: device),
            tensor(invFreq, device: device)); // [N,D/2]
        cos = cat([angles.cos(), angles.cos()], 1).DetachFromDisposeScope(); // owned here, disposed in Dispose
        sinSigned = cat([angles.sin().neg(), angles.sin()], 1).DetachFromDisposeScope();
        Length = length;
    }

    /// <summary>cos and signed sin rows for the given positions, as [B,1,T,D] in <paramref name="dtype"/>.</summary>
    public (Tensor Cos, Tensor SinSigned) Lookup(Tensor positionIds, int maxPosition, ScalarType dtype) // positionIds [B,T] int64
    {
        if (maxPosition >= Length || cos.device_type != positionIds.device_type || cos.device_index != positionIds.device_index)
            Build(Math.Max(maxPosition + 1, Length * 2), positionIds.device);
        long b = positionIds.shape[0], t = positionIds.shape[1];
        Tensor flat = positionIds.reshape(-1);
        Tensor c = cos.index_select(0, flat).view(b, 1, t, headDim);
        Tensor s = sinSigned.index_select(0, flat).view(b, 1, t, headDim);
        return dtype == ScalarType.Float32 ? (c, s) : (c.to(dtype), s.to(dtype));
    }

    /// <summary>The whole fp32 tables [Length,D], grown first to hold <paramref name="maxPosition"/>.</summary>
    internal (Tensor Cos, Tensor SinSigned) Covering(int maxPosition)
    {
        if (maxPosition >= Length) Build(Math.Max(maxPosition + 1, Length * 2), cos.device);
        return (cos, sinSigned);
    }

    /// <summary>x·cos + rotate_half(x)·sin for x [B,H,T,D].</summary>
    public static Tensor Apply(Tensor x, Tensor cos, Tensor sinSigned) =>
        x * cos + x.roll(x.shape[^1] / 2, -1) * sinSigned;

    public void Dispose()
    {
        cos.Dispose();
        sinSigned.Dispose();
    }
}
