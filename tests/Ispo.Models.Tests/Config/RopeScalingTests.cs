using Ispo.Models.Config;

namespace Ispo.Models.Tests.Config;

public class RopeScalingTests
{
    [Fact]
    public void Llama3KeepsHighFrequenciesDividesLowAndBlendsBetween()
    {
        var s = new RopeScaling(Factor: 8, LowFreqFactor: 1, HighFreqFactor: 4, OriginalMaxPositionEmbeddings: 8192);
        // wavelengths: 2π/1 (short, kept), 2π/1e-5 (long, divided by 8), 4096 (between 2048 and 8192: blended)
        double mid = 2 * Math.PI / 4096;
        double[] scaled = s.Apply([1.0, 1e-5, mid]);
        Assert.Equal(1.0, scaled[0], 12);
        Assert.Equal(1e-5 / 8, scaled[1], 15);
        double smooth = (8192.0 / 4096 - 1) / (4 - 1); // 1/3
        Assert.Equal((1 - smooth) * mid / 8 + smooth * mid, scaled[2], 15);
    }
}
