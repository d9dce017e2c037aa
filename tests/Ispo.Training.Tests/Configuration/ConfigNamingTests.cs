using Ispo.Algorithms;
using Ispo.Training.Configuration;

namespace Ispo.Training.Tests.Configuration;

public class ConfigNamingTests
{
    [Theory]
    [InlineData("EpsHigh", "eps_high")]
    [InlineData("Lambda1", "lambda1")]
    [InlineData("TopP", "top_p")]
    [InlineData("DualClipC", "dual_clip_c")]
    [InlineData("IOThreads", "io_threads")]
    [InlineData("MaxNewTokens", "max_new_tokens")]
    [InlineData("Float32", "float32")]
    public void ToSnake(string pascal, string snake) => Assert.Equal(snake, ConfigNaming.ToSnake(pascal));

    [Fact]
    public void EnumsAreKebabAndParseFromAnySpelling()
    {
        Assert.Equal("seq-mean-token-sum-norm", ConfigNaming.EnumName(LossAggregation.SeqMeanTokenSumNorm));
        Assert.True(ConfigNaming.TryParseEnum(typeof(LossAggregation), "seq_mean_token_mean", out object? v));
        Assert.Equal(LossAggregation.SeqMeanTokenMean, v);
        Assert.False(ConfigNaming.TryParseEnum(typeof(LossAggregation), "mean", out _));
    }

    [Fact]
    public void KeysAreSettablePropertiesInDeclarationOrder()
    {
        Assert.Equal(["cache_length", "penalty"], ConfigNaming.Keys(typeof(OverlongPenaltyOptions)).Select(p => ConfigNaming.ToSnake(p.Name)));
        Assert.DoesNotContain(ConfigNaming.Keys(typeof(TrainConfig)), p => p.Name == nameof(TrainConfig.RowsPerStep));
    }
}
