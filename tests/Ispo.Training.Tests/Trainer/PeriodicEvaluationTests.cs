using Ispo.Models.Pretrained;
using Ispo.Training.Configuration;
using Ispo.Training.Trainer;

namespace Ispo.Training.Tests.Trainer;

public class PeriodicEvaluationTests
{
    [Fact]
    public void SyntheticEvaluationReportsEveryTierAndTheMean()
    {
        using var dir = new TempDir();
        ModelInit.Create(ModelInit.Preset("tiny"), dir.Path, seed: 3);
        using LoadedModel policy = LoadedModel.LoadPretrained(dir.Path);
        TrainConfig config = TrainConfig.Load(null, ["eval.max_problems=2", "eval.max_new_tokens=4", "data.template=synthetic", "data.chat_format=raw"]);
        IReadOnlyDictionary<string, double> metrics = PeriodicEvaluation.Create(config, policy, null)();
        Assert.Equal(6, metrics.Count);
        Assert.All(metrics.Values, v => Assert.InRange(v, 0, 1));
        Assert.Equal(Enumerable.Range(1, 5).Select(t => metrics[$"eval/synthetic-tier{t}/accuracy"]).Average(), metrics["eval/synthetic/accuracy"], 12);
    }
}
