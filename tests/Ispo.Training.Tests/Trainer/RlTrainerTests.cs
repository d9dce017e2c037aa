using Ispo.Models;
using Ispo.Models.Config;
using Ispo.Training.Configuration;
using Ispo.Training.Trainer;
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Training.Tests.Trainer;

public class RlTrainerTests
{
    internal static readonly Ispo.Models.Config.ModelConfig Tiny = new()
    {
        Architecture = Architecture.Llama, VocabSize = 40, HiddenSize = 32, IntermediateSize = 48, NumHiddenLayers = 2,
        NumAttentionHeads = 4, NumKeyValueHeads = 2, HeadDim = 8, RopeTheta = 10000, MaxPositionEmbeddings = 128,
        TieWordEmbeddings = true, EosTokenIds = [1], InitializerRange = 0.2,
    };

    internal static CausalLM TinyModel(long seed = 1)
    {
        var model = new CausalLM(Tiny);
        model.InitWeights(seed);
        model.eval();
        return model;
    }

    internal static TrainConfig SmallConfig(params string[] overrides) => TrainConfig.Load(null,
        new[] { "data.prompts_per_step=2", "rollout.group_size=4", "rollout.max_new_tokens=8", "optim.lr=0.01", "run.steps=2", "algorithm.loss.name=clipped" }.Concat(overrides));

    [Theory]
    [InlineData("algorithm.shapers=[]", false)]
    [InlineData("algorithm.shapers=[{name: ispo, critical_set: entropy}]", false)]
    [InlineData("algorithm.shapers=[{name: ispo, lambda2: 0}]", false)]
    [InlineData("algorithm.shapers=[ispo]", true)]
    [InlineData("algorithm.loss={name: clipped, kl_coef: 0.1}", true)]
    public void TheBaseModelIsLoadedOnlyWhenAComponentNeedsIt(string recipe, bool loaded)
    {
        using CausalLM policy = TinyModel();
        using var trainer = new RlTrainer(SmallConfig(recipe, "run.steps=1"), policy, () => TinyModel(), new FakeEnvironment(Tiny.VocabSize),
            FakeEnvironment.Problems(6), padTokenId: 0);
        trainer.RunStep();
        Assert.Equal(loaded, trainer.BaseModelLoaded);
    }

    [Theory]
    [InlineData("algorithm.shapers=[]")]
    [InlineData("algorithm.shapers=[ispo]")]
    [InlineData("algorithm.shapers=[ispo]", "algorithm.filter.name=dynamic_sampling")]
    [InlineData("algorithm.shapers=[ispo]", "algorithm.filter.name=dynamic_sampling", "algorithm.filter.by=reward")]
    [InlineData("algorithm.shapers=[ispo]", "rollout.kv_cache_budget=4KiB", "optim.micro_batch_tokens=40")]   // one prompt per chunk; packed micro-batches
    public void TwoStepsChangeEveryParameterAndLogMetrics(params string[] recipe)
    {
        TrainConfig config = SmallConfig(recipe);
        using CausalLM policy = TinyModel();
        var before = policy.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var trainer = new RlTrainer(config, policy, () => TinyModel(), new FakeEnvironment(Tiny.VocabSize), FakeEnvironment.Problems(6), padTokenId: 0);
        var reports = Enumerable.Range(0, 2).Select(_ => trainer.RunStep()).ToList();
        foreach (var report in reports)
        {
            Assert.True(double.IsFinite(report.Metrics["loss"]));
            foreach (string key in new[] { "reward", "reward_std", "frac_reward_zero_std", "entropy", "completions/mean_length", "num_tokens", "step_time", "time/sampling", "time/update" })
                Assert.True(report.Metrics.ContainsKey(key), key);
        }
        foreach (var (name, p) in policy.named_parameters())
            Assert.True((p.detach() - before[name]).abs().max().item<float>() > 0, name + " unchanged");
        Assert.Equal(2, trainer.Step);
        Console.WriteLine(string.Join(", ", reports[1].Metrics.Where(m => m.Key.StartsWith("timing") || m.Key == "step_time").Select(m => m.Key + "=" + m.Value.ToString("F3"))));
    }

    [Fact]
    public void AtARolloutTemperatureEveryLogProbIsOfTheTemperedPolicy()
    {
        TrainConfig config = SmallConfig("algorithm.shapers=[ispo]", "rollout.temperature=0.5", "optim.epochs=1", "run.steps=1");
        using CausalLM policy = TinyModel();
        using var trainer = new RlTrainer(config, policy, () => TinyModel(), new FakeEnvironment(Tiny.VocabSize), FakeEnvironment.Problems(6), padTokenId: 0);
        RlStepReport report = trainer.RunStep();
        // the base model is the policy's starting point: scored at the same temperature, it agrees with the sampler
        foreach (var r in report.Rollouts)
            Assert.Equal(r.OldLogProbs, r.BaseLogProbs!, (a, b) => Math.Abs(a - b) <= 1e-5);
        // the first update sees the sampling policy itself (ratio 1), not its temperature-1 version
        Assert.True(report.Metrics["approx_kl"] < 1e-9, $"approx_kl {report.Metrics["approx_kl"]}");
        using CausalLM start = TinyModel();
        float[][] untempered = Ispo.Training.Rollouts.RolloutScoring.ScoreResponses(start, report.Rollouts, temperature: 1.0);
        Assert.Contains(report.Rollouts.Zip(untempered), p => p.First.OldLogProbs.Zip(p.Second).Any(x => Math.Abs(x.First - x.Second) > 1e-2));
    }
}
