using Ispo.Algorithms;
using Ispo.Training.Configuration;
using Ispo.Training.Rollouts;
using Ispo.Training.Trainer;

namespace Ispo.Training.Tests.Configuration;

public class ConfigYamlTests
{
    [Fact]
    public void ResolvedConfigRoundTrips()
    {
        var config = TrainConfig.Load(null, ["run.name='a b: c'", "rollout.stop_strings=[\"\\n\", \"null\", \"1.5\", \"\"]",
            "algorithm.shapers=[{name: ispo, critical_set: union}]", "model.path=/x/y", "optim.mini_batch_size=16", "algorithm.loss.dual_clip=0"]);
        string yaml = config.ToYaml();
        var again = ConfigBinder.Bind<TrainConfig>(yaml);
        Assert.Equal(yaml, again.ToYaml());
        Assert.Equal(["\n", "null", "1.5", ""], again.Rollout.StopStrings);
        Assert.Equal("a b: c", again.Run.Name);
        Assert.Equal(0, Assert.IsType<PolicyLossOptions>(again.Algorithm.Loss.Options).DualClip);
        Assert.Equal(CriticalSet.Union, Assert.IsType<IspoOptions>(Assert.Single(again.Algorithm.Shapers).Options).CriticalSet);
    }

    [Fact]
    public void TheAnswerDecisionsAreConfigFieldsThatReachTheRewardShaper()
    {
        string defaults = TrainConfig.Load(null, ["algorithm.shapers=[ispo]"]).ToYaml();
        Assert.Contains("answer_span: content", defaults);
        Assert.Contains("no_answer: worst-answered", defaults);
        var config = TrainConfig.Load(null, ["algorithm.shapers=[{name: ispo, answer_span: segment, no_answer: zero_ifd}]"]);
        AlgorithmPipeline pipeline = AlgorithmPipeline.From(config);
        var shaper = Assert.IsType<IspoRewardShaper>(Assert.Single(pipeline.Shapers));
        Assert.Equal((NoAnswer.ZeroIfd, AnswerSpan.Segment), (shaper.Options.NoAnswer, shaper.Options.AnswerSpan));
        Assert.True(pipeline.Needs.HasFlag(BatchInputs.AnswerSegment));     // the rollout phase locates A by it
    }

    [Fact]
    public void WritesSnakeCaseKeysAndKebabEnums()
    {
        string yaml = new TrainConfig().ToYaml();
        Assert.Contains("clip_high: 0.28", yaml);
        Assert.Contains("aggregation: token-mean", yaml);
        Assert.Contains("tiers: [1, 2, 3, 4, 5]", yaml);
        Assert.DoesNotContain("rows_per_step", yaml);  // computed, not a key
        Assert.DoesNotContain("...", yaml);
    }
}
