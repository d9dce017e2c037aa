namespace Ispo.Algorithms.Tests;

public class AlgorithmRegistryTests
{
    static readonly System.Reflection.Assembly Shipped = typeof(AlgorithmRegistry).Assembly;

    [Fact]
    public void EveryComponentIsRegisteredAndBuildsWithDefaults()
    {
        var names = AlgorithmRegistry.Describe().Where(d => d.OptionsType.Assembly == Shipped).Select(d => $"{d.Kind}:{d.Name}").ToArray();
        Assert.Equal(["Advantage:dr_grpo", "Advantage:grpo", "Advantage:rloo", "Loss:clipped", "Loss:gspo",
                      "RewardShaper:ispo", "RewardShaper:kl_penalty", "RewardShaper:overlong_penalty", "GroupFilter:dynamic_sampling"], names);
        Assert.IsType<GrpoAdvantage>(AlgorithmRegistry.Create<IAdvantageEstimator>("grpo"));
        Assert.IsType<GspoLoss>(AlgorithmRegistry.Create<IPolicyLoss>("gspo"));
        Assert.IsType<IspoRewardShaper>(AlgorithmRegistry.Create<IRewardShaper>("ispo"));
        Assert.IsType<DynamicSamplingFilter>(AlgorithmRegistry.Create<IGroupFilter>("dynamic_sampling"));
        Assert.IsType<OverlongPenalty>(AlgorithmRegistry.Create<IRewardShaper>("overlong-penalty", null, new ComponentContext(8, 1024)));
    }

    [Fact]
    public void ComponentsKeepTheirOwnDefaults()
    {
        var gspo = (GspoLoss)AlgorithmRegistry.Create<IPolicyLoss>("gspo");
        Assert.Equal((3e-4, 4e-4, 0.0), (gspo.Options.ClipLow, gspo.Options.ClipHigh, gspo.Options.DualClip));
        Assert.Equal(AdvantageScaling.None, ((DrGrpoAdvantage)AlgorithmRegistry.Create<IAdvantageEstimator>("dr_grpo")).Options.Scale);
        Assert.Equal(AdvantageScaling.None, ((RlooAdvantage)AlgorithmRegistry.Create<IAdvantageEstimator>("rloo")).Options.Scale);
        Assert.Equal(AdvantageScaling.Group, ((GrpoAdvantage)AlgorithmRegistry.Create<IAdvantageEstimator>("grpo")).Options.Scale);
    }

    [Fact]
    public void TheContextReachesComponentsThatTakeIt()
    {
        var loss = AlgorithmRegistry.Create<IPolicyLoss>("clipped", new PolicyLossOptions(), new ComponentContext(2, 64));
        Assert.IsType<ClippedSurrogateLoss>(loss);
        var error = Assert.Throws<ArgumentException>(() => AlgorithmRegistry.Create<IRewardShaper>("overlong_penalty", new OverlongPenaltyOptions { CacheLength = 64 }, new ComponentContext(2, 64)));
        Assert.Contains("cache_length must be in [1, max new tokens = 64)", error.Message);
        Assert.Contains("groups of at least 2", Assert.Throws<ArgumentException>(() => AlgorithmRegistry.Create<IRewardShaper>("ispo", null, new ComponentContext(1, 64))).Message);
    }

    [Fact]
    public void ValidationErrorsFromConstructorsSurface()
    {
        Assert.Throws<ArgumentException>(() => AlgorithmRegistry.Create<IPolicyLoss>("clipped", new PolicyLossOptions { ClipLow = 2 }));
        Assert.Throws<ArgumentException>(() => AlgorithmRegistry.Create<IPolicyLoss>("clipped", new IspoOptions()));
        Assert.Contains("Unknown Advantage component 'ppo'", Assert.Throws<ArgumentException>(() => AlgorithmRegistry.Create<IAdvantageEstimator>("ppo")).Message);
    }
}
