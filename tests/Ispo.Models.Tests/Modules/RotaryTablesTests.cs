using Ispo.Models.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Modules;

public class RotaryTablesTests
{
    [Fact]
    public void RotatesPairsByPositionTimesFrequency()
    {
        using var scope = NewDisposeScope();
        var config = TinyModels.Qwen2 with { HeadDim = 4, RopeTheta = 100 };
        using var rope = new RotaryTables(config, 4, CPU);
        Tensor x = tensor(new float[] { 1, 2, 3, 4 }).view(1, 1, 1, 4);
        (Tensor cos, Tensor sin) = rope.Lookup(tensor(new long[] { 3 }).view(1, 1), 3, ScalarType.Float32);
        float[] y = RotaryTables.Apply(x, cos, sin).data<float>().ToArray();
        // pairs (x0,x2) and (x1,x3) rotate by 3·θ_i with θ = [1, 100^(-1/2)]
        double a0 = 3.0, a1 = 3.0 / 10;
        double[] expected = [1 * Math.Cos(a0) - 3 * Math.Sin(a0), 2 * Math.Cos(a1) - 4 * Math.Sin(a1),
                             3 * Math.Cos(a0) + 1 * Math.Sin(a0), 4 * Math.Cos(a1) + 2 * Math.Sin(a1)];
        for (int i = 0; i < 4; i++) Assert.Equal(expected[i], y[i], 5);
    }

    [Fact]
    public void GrowsBeyondItsInitialLength()
    {
        using var scope = NewDisposeScope();
        using var rope = new RotaryTables(TinyModels.Llama, 2, CPU);
        (Tensor cos, _) = rope.Lookup(tensor(new long[] { 0, 100 }).view(1, 2), 100, ScalarType.Float32);
        Assert.True(rope.Length > 100);
        Assert.Equal(1f, cos[0, 0, 0, 0].item<float>());
    }
}
