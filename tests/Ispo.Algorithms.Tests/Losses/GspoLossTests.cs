using static TorchSharp.torch;

namespace Ispo.Algorithms.Tests;

public class GspoLossTests
{
    [Fact]
    public void EveryTokenOfASequenceSharesTheSequenceRatioGradient()
    {
        // row 0: log-ratios 0.1, −0.1, 0.03 → s = e^{0.01}; with ε = 0.2 it is inside the clip range
        var logp = tensor(new float[,] { { 0.1f, -0.1f, 0.03f }, { 0.5f, 0.5f, 0 } }, requires_grad: true);
        var batch = new GroupedBatch
        {
            GroupSize = 2,
            ResponseMask = tensor(new float[,] { { 1, 1, 1 }, { 1, 1, 0 } }),
            OutcomeRewards = tensor(new float[] { 1, 0 }),
            OldLogProbs = zeros(2, 3),
        };
        var options = new GspoLossOptions { ClipLow = 0.2, ClipHigh = 0.2 };
        var result = new GspoLoss(options).Compute(new PolicyEvaluation(logp), tensor(new float[] { 1, 1 }), batch);
        result.Loss.backward();
        double[] grad = Batches.Values(logp.grad!);
        double s = Math.Exp(0.01);
        // seq-mean-token-mean over 2 rows: d/d log π_t = −Â·s/(n·2); row 1 has s = e^{0.5} > 1.2 with Â > 0: clipped, no gradient
        Assert.Equal([-s / 6, -s / 6, -s / 6, 0, 0, 0], grad, (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal((-s - 1.2) / 2, result.Loss.item<float>(), 5);
        Assert.Equal(2.0 / 5, result.Metrics["clip_ratio/high_mean"], 6);   // row 1's 2 of the 5 response tokens
    }
}
