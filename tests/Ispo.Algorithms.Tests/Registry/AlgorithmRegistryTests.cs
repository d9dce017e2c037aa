namespace Ispo.Algorithms.Tests;

public class AlgorithmRegistryTests
{
    [Fact]
    public void EveryComponentIsRegisteredAndBuildsWithDefaults()
    {
        var names = AlgorithmRegistry.Describe().Select(d => $"{d.Kind}:{d.Name}").ToArray();
        Assert.Equal(["Advantage:dr_grpo", "Advantage:grpo", "Advantage:rloo", "Loss:clipped", "Loss:gspo",
                      "RewardShaper:ispo", "RewardShaper:kl_penalty", "RewardShaper:overlong_penalty", "GroupFilter:dynamic_sampling"], names);
        Assert.IsType<GrpoAdvantage>(AlgorithmRegistry.Create<IAdvantageEstimator>("grpo"));
        Assert.IsType<GspoLoss>(AlgorithmRegistry.Create<IPolicyLoss>("gspo"));
        Assert.IsType<IspoRewardShaper>(AlgorithmRegistry.Create<IRewardShaper>("ispo"));
        Assert.IsType<DynamicSamplingFilter>(AlgorithmRegistry.Create<IGroupFilter>("dynamic_sampling"));
    }

    [Fact]
    public void DescribeListsSnakeCaseOptionsWithDefaults()
    {
        var ispo = AlgorithmRegistry.Describe().Single(d => d.Name == "ispo");
        var lambda1 = ispo.Options.Single(o => o.Key == "lambda1");
        Assert.Equal("0.5", lambda1.Default);
        var set = ispo.Options.Single(o => o.Key == "critical_set");
        Assert.Equal("intersection", set.Default);
        Assert.Contains("union", set.Allowed);
        Assert.Contains(AlgorithmRegistry.Describe().Single(d => d.Name == "clipped").Options, o => o.Key == "clip_high" && o.Default == "0.28");
    }

    [Fact]
    public void CreatesFromSnakeCaseSettings()
    {
        var loss = (ClippedSurrogateLoss)AlgorithmRegistry.Create<IPolicyLoss>("clipped", new Dictionary<string, string>
        {
            ["clip_high"] = "0.3", ["aggregation"] = "seq-mean-token-sum-norm", ["kl_estimator"] = "k2", ["mask_truncated"] = "true",
        });
        Assert.Equal(new PolicyLossOptions { ClipHigh = 0.3, Aggregation = LossAggregation.SeqMeanTokenSumNorm, KlEstimator = KlEstimator.K2, MaskTruncated = true },
                     loss.Options);
        var dr = (DrGrpoAdvantage)AlgorithmRegistry.Create<IAdvantageEstimator>("dr_grpo", new Dictionary<string, string>());
        Assert.NotNull(dr);
    }

    [Fact]
    public void ReportsEveryBadSettingAtOnce()
    {
        var error = Assert.Throws<ArgumentException>(() => AlgorithmRegistry.Create<IRewardShaper>("ispo", new Dictionary<string, string>
        {
            ["lambda_1"] = "0.2", ["top_k"] = "ten", ["critical_set"] = "both",
        }));
        Assert.Contains("unknown option 'lambda_1'", error.Message);
        Assert.Contains("option 'top_k' expects double, got 'ten'", error.Message);
        Assert.Contains("option 'critical_set' expects one of intersection|union|entropy|drift", error.Message, StringComparison.Ordinal);
        Assert.Contains("Unknown Advantage component 'ppo'", Assert.Throws<ArgumentException>(() => AlgorithmRegistry.Create<IAdvantageEstimator>("ppo")).Message);
    }

    [Fact]
    public void ValidationErrorsFromConstructorsSurface()
    {
        Assert.Throws<ArgumentException>(() => AlgorithmRegistry.Create<IPolicyLoss>("clipped", new PolicyLossOptions { ClipLow = 2 }));
        Assert.Throws<ArgumentException>(() => AlgorithmRegistry.Create<IPolicyLoss>("clipped", new IspoOptions()));
    }
}
