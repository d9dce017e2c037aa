// RMSNorm's forward and backward over fp32 rows in C#, one pass each. Composed of torch ops, a training step's 13
// norms cost ~8 elementwise passes each in the backward (~4% of the "10M" model's step); here the backward reads x, w
// and the upstream gradient once. The forward is DecodeKernels.RmsNorm, so prefill, decoding and training agree.
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Ispo.Models.Cpu;

internal static unsafe class RmsNormKernels
{
    /// <summary>y[r] = x[r]·rsqrt(mean(x[r]²)+eps)·w for each of <paramref name="rows"/> rows; that rsqrt goes to
    /// <paramref name="inverseRms"/>[r] (null: not kept).</summary>
    public static void Forward(float* x, float* w, float* y, float* inverseRms, int rows, int h, float eps)
    {
        for (int r = 0; r < rows; r++)
        {
            long at = (long)r * h;
            float rms = DecodeKernels.RmsNorm(x + at, y + at, w, h, eps);
            if (inverseRms is not null) inverseRms[r] = rms;
        }
    }

    /// <summary>For each of <paramref name="rows"/> rows: gx = r·(g∘w) − r³/h · x · Σ(g∘w∘x), and gw += Σ_rows g∘x·r
    /// (h floats, zeroed by the caller).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(float* x, float* w, float* g, float* inverseRms, float* gx, float* gw, int rows, int h)
    {
        for (int row = 0; row < rows; row++)
        {
            long at = (long)row * h;
            float* xr = x + at, gr = g + at, gxr = gx + at;
            float r = inverseRms[row];
            float dot = WeightedDot(gr, w, xr, h);
            float c = r * r * r * dot / h;
            int i = 0;
            var vr = Vector256.Create(r);
            var vc = Vector256.Create(c);
            for (; i <= h - 8; i += 8)
            {
                var xv = Vector256.Load(xr + i);
                var gv = Vector256.Load(gr + i);
                (vr * (gv * Vector256.Load(w + i)) - vc * xv).Store(gxr + i);
                (Vector256.Load(gw + i) + gv * (xv * vr)).Store(gw + i);
            }
            for (; i < h; i++)
            {
                gxr[i] = r * (gr[i] * w[i]) - c * xr[i];
                gw[i] += gr[i] * (xr[i] * r);
            }
        }
    }

    /// <summary>Σ g∘w∘x.</summary>
    static float WeightedDot(float* g, float* w, float* x, int h)
    {
        var acc = Vector256<float>.Zero;
        int i = 0;
        for (; i <= h - 8; i += 8) acc += Vector256.Load(g + i) * Vector256.Load(w + i) * Vector256.Load(x + i);
        float sum = Vector256.Sum(acc);
        for (; i < h; i++) sum += g[i] * w[i] * x[i];
        return sum;
    }
}
