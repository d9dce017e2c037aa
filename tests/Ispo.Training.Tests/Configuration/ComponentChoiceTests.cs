using Ispo.Algorithms;
using Ispo.Training.Configuration;
using Ispo.Training.Trainer;
using static TorchSharp.torch;

namespace Ispo.Training.Tests.Configuration;

public class ComponentChoiceTests
{
    static TrainConfig Bind(string algorithm, params string[] overrides) =>
        ConfigBinder.Bind<TrainConfig>("algorithm:\n" + algorithm, "r.yaml", overrides);

    static string Slot(ComponentKind kind) => kind switch
    {
        ComponentKind.Advantage => "advantage",
        ComponentKind.Loss => "loss",
        ComponentKind.RewardShaper => "shapers",
        _ => "filter",
    };

    static object OptionsOf(TrainConfig c, ComponentKind kind) => kind switch
    {
        ComponentKind.Advantage => c.Algorithm.Advantage.Options,
        ComponentKind.Loss => c.Algorithm.Loss.Options,
        ComponentKind.RewardShaper => Assert.Single(c.Algorithm.Shapers).Options,
        _ => c.Algorithm.Filter!.Options,
    };

    [Fact]
    public void EveryComponentsDefaultsSurviveAnEmptyOptionsMap()
    {
        foreach (ComponentDescription d in AlgorithmRegistry.Describe())
        {
            string choice = $"{{name: {d.Name}}}";
            TrainConfig c = Bind($"  {Slot(d.Kind)}: {(d.Kind == ComponentKind.RewardShaper ? $"[{choice}]" : choice)}\n");
            Assert.Equal(Activator.CreateInstance(d.OptionsType), OptionsOf(c, d.Kind));
        }
    }

    [Fact]
    public void GspoGetsGsposDefaults()
    {
        var gspo = Assert.IsType<GspoLossOptions>(Bind("  loss: gspo\n").Algorithm.Loss.Options);
        Assert.Equal((3e-4, 4e-4, 0.0, LossAggregation.SeqMeanTokenMean), (gspo.ClipLow, gspo.ClipHigh, gspo.DualClip, gspo.Aggregation));
        Assert.Equal(gspo with { ClipHigh = 5e-4 }, Bind("  loss: {name: gspo, clip_high: 5e-4}\n").Algorithm.Loss.Options);
    }

    [Theory]
    [InlineData("dr_grpo", "", new[] { 0.75, -0.25, -0.25, -0.25 })]
    [InlineData("rloo", "", new[] { 1.0, -1 / 3.0, -1 / 3.0, -1 / 3.0 })]
    [InlineData("rloo", ", scale: group", new[] { 2.0, -2 / 3.0, -2 / 3.0, -2 / 3.0 })]   // std of (1,0,0,0) is 0.5
    public void DrGrpoAndRlooScaleByStdOnlyWhenAsked(string name, string options, double[] expected)
    {
        TrainConfig c = Bind($"  advantage: {{name: {name}{options}}}\n", "rollout.group_size=4", "data.prompts_per_step=1");
        var batch = new GroupedBatch { GroupSize = 4, ResponseMask = ones(4, 1), OutcomeRewards = tensor(new float[] { 1, 0, 0, 0 }), OldLogProbs = zeros(4, 1) };
        double[] advantages = AlgorithmPipeline.From(c).Advantage.Compute(batch, batch.OutcomeRewards).to(ScalarType.Float64).data<double>().ToArray();
        Assert.Equal(expected, advantages, (x, y) => Math.Abs(x - y) < 1e-5);
    }

    [Fact]
    public void UnknownKeysBadValuesAndUnknownNamesAreLineNumbered()
    {
        var e = Assert.Throws<ConfigException>(() => Bind("  loss:\n    name: clipped\n    clip_low: 2\n    clip_hgh: 0.3\n  shapers:\n    - {name: isop}\n"));
        string all = string.Join("\n", e.Errors);
        Assert.Contains("algorithm.loss.clip_hgh: unknown key \"clip_hgh\"; expected one of: clip_low, clip_high, dual_clip, aggregation, kl_coef, kl_estimator, entropy_coef, mask_truncated (r.yaml line 5)", all);
        Assert.Contains("algorithm.shapers[0].name: unknown reward_shaper \"isop\"; expected one of: ispo, kl_penalty, overlong_penalty", all);
        Assert.Contains("(r.yaml line 7)", all);
        var bad = Assert.Throws<ConfigException>(() => Bind("  loss:\n    name: clipped\n    clip_low: 2\n"));
        Assert.Equal("algorithm.loss: loss 'clipped': clip_low must be in [0, 1), got 2. (r.yaml line 3)", Assert.Single(bad.Errors).ToString());
    }

    [Fact]
    public void ContextChecksNameTheComponent()
    {
        var e = Assert.Throws<ConfigException>(() => Bind("  shapers:\n    - {name: overlong_penalty, cache_length: 64}\n", "rollout.max_new_tokens=64"));
        Assert.StartsWith("algorithm.shapers[0]: overlong_penalty: cache_length must be in [1, max new tokens = 64), got 64.", Assert.Single(e.Errors).ToString());
        Assert.Contains("groups of at least 2", Assert.Throws<ConfigException>(() => Bind("  shapers: [ispo]\n", "rollout.group_size=1")).Message);
    }

    [Theory]
    [InlineData("  clip: {eps_low: 0.2}\n", "write loss: {name: clipped, clip_low: …")]
    [InlineData("  ispo: {enabled: true}\n", "write shapers: [{name: ispo")]
    [InlineData("  scale: none\n", "write advantage: {name: grpo, scale:")]
    [InlineData("  overlong: {enabled: true}\n", "buffer_length is cache_length")]
    [InlineData("  dynamic_sampling: {enabled: true}\n", "write filter: {name: dynamic_sampling")]
    public void OldKeysSayWhatToWriteInstead(string algorithm, string hint)
    {
        var e = Assert.Throws<ConfigException>(() => Bind(algorithm));
        Assert.Contains(hint, e.Message);
        Assert.Contains("is no longer a key here", e.Message);
        Assert.Contains("(r.yaml line 2)", e.Message);
    }

    [Fact]
    public void OverridesReplaceAComponentOrReachIntoIt()
    {
        TrainConfig c = Bind("  advantage: {name: grpo, scale: batch}\n  loss: {name: clipped, clip_high: 0.3}\n",
            "algorithm.advantage=rloo", "algorithm.loss.dual_clip=0", "algorithm.filter={name: dynamic_sampling, max_rounds: 5}");
        Assert.Equal(new RlooOptions(), c.Algorithm.Advantage.Options);                     // a new name starts from its own defaults
        Assert.Equal(new PolicyLossOptions { ClipHigh = 0.3, DualClip = 0 }, c.Algorithm.Loss.Options);
        Assert.Equal(5, AlgorithmPipeline.From(c).Filter!.MaxRounds);
        Assert.Equal(c.ToYaml(), ConfigBinder.Bind<TrainConfig>(c.ToYaml()).ToYaml());
    }

    [Fact]
    public void NeedsFollowTheOptions()
    {
        BatchInputs Needs(string shapers, string loss = "clipped") => AlgorithmPipeline.From(Bind($"  loss: {loss}\n  shapers: {shapers}\n")).Needs;
        Assert.Equal(BatchInputs.None, Needs("[]"));
        Assert.Equal(BatchInputs.AblatedAnswer | BatchInputs.Entropies | BatchInputs.BaseLogProbs, Needs("[ispo]"));
        Assert.Equal(BatchInputs.AblatedAnswer | BatchInputs.Entropies, Needs("[{name: ispo, critical_set: entropy}]"));  // no base-model pass
        Assert.Equal(BatchInputs.AblatedAnswer, Needs("[{name: ispo, lambda2: 0}]"));
        Assert.Equal(BatchInputs.Entropies | BatchInputs.BaseLogProbs, Needs("[{name: ispo, lambda1: 0}]"));
        Assert.Equal(BatchInputs.Truncation | BatchInputs.BaseLogProbs, Needs("[]", "{name: clipped, mask_truncated: true, kl_coef: 0.1}"));
    }
}
