// RoPE frequency scaling from HF `rope_scaling` (4.x) or `rope_parameters` (5.x); only Llama-3's "llama3" scheme is supported.
namespace Ispo.Models.Config;

/// <summary>Llama-3 frequency scaling: long wavelengths divided by <see cref="Factor"/>, short ones kept,
/// a smooth blend in between.</summary>
public sealed record RopeScaling(
    double Factor = 8.0,
    double LowFreqFactor = 1.0,
    double HighFreqFactor = 4.0,
    int OriginalMaxPositionEmbeddings = 8192)
{
    public const string Llama3 = "llama3";

    /// <summary>Applies the scaling to unscaled inverse frequencies (HF `_compute_llama3_parameters`).</summary>
    public double[] Apply(double[] invFreq)
    {
        double lowFreqWavelen = OriginalMaxPositionEmbeddings / LowFreqFactor;
        double highFreqWavelen = OriginalMaxPositionEmbeddings / HighFreqFactor;
        var scaled = new double[invFreq.Length];
        for (int i = 0; i < invFreq.Length; i++)
        {
            double wavelen = 2 * Math.PI / invFreq[i];
            if (wavelen < highFreqWavelen) scaled[i] = invFreq[i];
            else if (wavelen > lowFreqWavelen) scaled[i] = invFreq[i] / Factor;
            else
            {
                double smooth = (OriginalMaxPositionEmbeddings / wavelen - LowFreqFactor) / (HighFreqFactor - LowFreqFactor);
                scaled[i] = (1 - smooth) * invFreq[i] / Factor + smooth * invFreq[i];
            }
        }
        return scaled;
    }
}
