using Ispo.Algorithms;
using Ispo.Models;
using Ispo.Training.Configuration;
using Ispo.Training.Trainer;
using static TorchSharp.torch;

namespace Ispo.Training.Tests.Trainer;

public class DecayedGrpoAdvantageTests
{
    [Fact]
    public void HandComputed()
    {
        // G = 2, rewards (1, 0): GRPO gives ±0.5/(std 0.7071 + 1e-6); rollouts of 2 and 3 tokens, padded to 3
        var batch = new GroupedBatch
        {
            GroupSize = 2, ResponseMask = tensor(new float[] { 1, 1, 0, 1, 1, 1 }, [2, 3]),
            OutcomeRewards = tensor(new float[] { 1, 0 }), OldLogProbs = zeros(2, 3),
        };
        var estimator = AlgorithmRegistry.Create<IAdvantageEstimator>("decayed_grpo", new DecayedGrpoOptions { Gamma = 0.5 });
        float[] a = estimator.Compute(batch, batch.OutcomeRewards).data<float>().ToArray();
        double g = 0.5 / (Math.Sqrt(0.5) + 1e-6);
        Assert.Equal([g * 0.5, g, 0, -g * 0.25, -g * 0.5, -g], a.Select(x => (double)x), (x, y) => Math.Abs(x - y) < 1e-5);
    }

    [Fact]
    public void PlugsIntoARecipeAndTrains()
    {
        TrainConfig config = RlTrainerTests.SmallConfig("algorithm.advantage={name: decayed_grpo, gamma: 0.8}", "algorithm.loss.aggregation=seq-mean-token-mean");
        Assert.Equal(new DecayedGrpoOptions { Gamma = 0.8 }, config.Algorithm.Advantage.Options);
        Assert.Contains("gamma: 0.8", config.ToYaml());
        using CausalLM policy = RlTrainerTests.TinyModel();
        var before = policy.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var trainer = new RlTrainer(config, policy, () => RlTrainerTests.TinyModel(), new FakeEnvironment(RlTrainerTests.Tiny.VocabSize),
            FakeEnvironment.Problems(6), padTokenId: 0);
        RlStepReport report = trainer.RunStep();
        Assert.True(double.IsFinite(report.Metrics["loss"]));
        Assert.Equal(report.Rollouts.Count, report.Advantages.Count);           // per-token advantages are reported per rollout
        Assert.Contains(policy.named_parameters(), p => (p.parameter.detach() - before[p.name]).abs().max().item<float>() > 0);
        var bad = Assert.Throws<ConfigException>(() => RlTrainerTests.SmallConfig("algorithm.advantage={name: decayed_grpo, gamma: 2}"));
        Assert.Contains("algorithm.advantage: decayed_grpo: gamma must be in (0, 1], got 2.", bad.Message);
    }
}
