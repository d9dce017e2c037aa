using Ispo.Algorithms;
using Ispo.Training.Configuration;

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
