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
            "algorithm.ispo.critical_set=union", "model.path=/x/y", "optim.mini_batch_size=16", "algorithm.clip.dual_clip_c=null"]);
        string yaml = config.ToYaml();
        var again = ConfigBinder.Bind<TrainConfig>(yaml);
        Assert.Equal(yaml, again.ToYaml());
        Assert.Equal(["\n", "null", "1.5", ""], again.Rollout.StopStrings);
        Assert.Equal("a b: c", again.Run.Name);
        Assert.Null(again.Algorithm.Clip.DualClipC);
        Assert.Equal(CriticalSet.Union, again.Algorithm.Ispo.CriticalSet);
    }

    [Fact]
    public void TheAnswerDecisionsAreConfigFieldsThatReachTheRewardShaper()
    {
        string defaults = new TrainConfig().ToYaml();
        Assert.Contains("answer_span: content", defaults);
        Assert.Contains("no_answer: worst-answered", defaults);
        var config = TrainConfig.Load(null, ["algorithm.ispo.enabled=true", "algorithm.ispo.answer_span=segment", "algorithm.ispo.no_answer=zero_ifd"]);
        Assert.Equal(AnswerSpan.Segment, config.Algorithm.Ispo.AnswerSpan);
        var shaper = Assert.IsType<IspoRewardShaper>(Assert.Single(AlgorithmPipeline.From(config).Shapers));
        Assert.Equal(NoAnswer.ZeroIfd, shaper.Options.NoAnswer);
    }

    [Fact]
    public void WritesSnakeCaseKeysAndKebabEnums()
    {
        string yaml = new TrainConfig().ToYaml();
        Assert.Contains("eps_high: 0.28", yaml);
        Assert.Contains("aggregation: seq-mean-token-mean", yaml);
        Assert.Contains("tiers: [1, 2, 3, 4, 5]", yaml);
        Assert.DoesNotContain("rows_per_step", yaml);  // computed, not a key
        Assert.DoesNotContain("...", yaml);
    }
}
