using Ispo.Models.Lora;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Lora;

public class LoraMathTests
{
    [Fact]
    public void MergeAddsTheScaledLowRankProduct()
    {
        using var scope = NewDisposeScope();
        Tensor w = tensor(new float[] { 1, 2, 3, 4, 5, 6 }).view(2, 3);      // [out 2, in 3]
        Tensor a = tensor(new float[] { 1, 0, -1 }).view(1, 3);              // [r 1, in 3]
        Tensor b = tensor(new float[] { 2, 3 }).view(2, 1);                  // [out 2, r 1]
        // B·A = [[2,0,-2],[3,0,-3]]; × 0.5
        Assert.Equal(new float[] { 2, 2, 2, 5.5f, 5, 4.5f }, LoraMath.Merge(w, a, b, 0.5).data<float>().ToArray());
    }

    [Fact]
    public void ScaleIsAlphaOverRankOrOverItsRootWithRslora()
    {
        Assert.Equal(2.0, new LoraOptions { Rank = 16, Alpha = 32 }.Scale);
        Assert.Equal(8.0, new LoraOptions { Rank = 16, Alpha = 32, UseRslora = true }.Scale);
    }
}
