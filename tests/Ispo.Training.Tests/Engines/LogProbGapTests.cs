using Ispo.Training.Engines;
using Ispo.Training.Rollouts;

namespace Ispo.Training.Tests.Engines;

public class LogProbGapTests
{
    static Rollout Row(float[] trainer, float[]? engine) => new()
    {
        Group = 0, PromptTokens = [1], ResponseTokens = new int[trainer.Length], OldLogProbs = trainer, Entropies = new float[trainer.Length],
        Completion = "", Outcome = 0, Truncated = false, EngineLogProbs = engine,
    };

    [Fact]
    public void MeanAndMaxOfTheAbsoluteGapOverResponseTokens()
    {
        var metrics = LogProbGap.Metrics([Row([-1f, -2f], [-1.5f, -2f]), Row([-3f], [-2f])]);
        Assert.Equal(0.5, metrics["rollout/logprob_diff_mean"], 6);   // (0.5 + 0 + 1) / 3
        Assert.Equal(1.0, metrics["rollout/logprob_diff_max"], 6);
    }

    [Fact]
    public void NothingIsLoggedForTheLocalSampler() => Assert.Empty(LogProbGap.Metrics([Row([-1f], null)]));
}
