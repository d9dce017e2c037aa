using Ispo.Training.Engines;
using Ispo.Training.Rollouts;
using static TorchSharp.torch;

namespace Ispo.Training.Tests.Engines;

public class TruncatedImportanceSamplingTests
{
    static Rollout Row(float[] trainer, float[]? engine) => new()
    {
        Group = 0, PromptTokens = [1], ResponseTokens = new int[trainer.Length], OldLogProbs = trainer, Entropies = new float[trainer.Length],
        Completion = "", Outcome = 0, Truncated = false, EngineLogProbs = engine,
    };

    [Fact]
    public void WeightsAreTheTruncatedRatioOfTrainerToEngineProbabilitiesOnResponseTokens()
    {
        Rollout[] rows = [Row([-1f, -2f], [-1.5f, -1f]), Row([-3f], null)];
        Tensor mask = tensor(new float[] { 1, 1, 1, 0 }, [2, 2]);
        (Tensor weighted, var metrics) = TruncatedImportanceSampling.Reweight(rows, mask, tensor(new float[] { 2, -1 }), cap: 1.5);
        float[] w = weighted.data<float>().ToArray();
        // row 0: e^0.5 = 1.649 truncated to 1.5, e^-1 = 0.368; row 1 (no engine): 1, then padding 0
        Assert.Equal([3f, 2 * MathF.Exp(-1), -1f, 0f], w, (a, b) => Math.Abs(a - b) < 1e-5);
        Assert.Equal((1.5 + Math.Exp(-1) + 1) / 3, metrics["rollout/is_weight_mean"], 5);
        Assert.Equal(1.0 / 3, metrics["rollout/is_truncated_frac"], 5);
    }
}
