using Ispo.Models.Cpu;
using Ispo.Models.Sampling;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Cpu;

public class CpuTokenPickerTests
{
    static Tensor Logits(long seed) => randn(6, 300, generator: new Generator((ulong)seed)) * 3;

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.7)]
    public void GreedyMatchesTheTorchPath(double logProbTemperature)
    {
        using var scope = NewDisposeScope();
        Tensor logits = Logits(1);
        logits[2, 5] = float.NegativeInfinity; // a masked token must not turn the entropy into NaN
        AssertPicksLikeTorch(logits, new SamplingOptions { Greedy = true, LogProbTemperature = logProbTemperature }, new Generator(1), new Generator(1));
    }

    [Fact]
    public void SamplingDrawsWhatTheTorchPathDrawsFromTheSameGenerator()
    {
        using var scope = NewDisposeScope();
        var options = new SamplingOptions { Temperature = 0.8, LogProbTemperature = 0.8 };
        var cpuGenerator = new Generator(3);
        var torchGenerator = new Generator(3);
        for (int round = 0; round < 20; round++) AssertPicksLikeTorch(Logits(100 + round), options, cpuGenerator, torchGenerator);
    }

    [Fact]
    public void ManyRowsOfALargeVocabularyDrawWhatTheTorchPathDraws()
    {
        using var scope = NewDisposeScope();
        var cpuGenerator = new Generator(5);
        var torchGenerator = new Generator(5);
        for (int round = 0; round < 5; round++)
            AssertPicksLikeTorch(randn(17, 8195, generator: new Generator((ulong)round)) * 4, new SamplingOptions(), cpuGenerator, torchGenerator);
    }

    [Fact]
    public void GreedyTakesTheFirstNaNLikeTorchArgmax()
    {
        using var scope = NewDisposeScope();
        Tensor logits = Logits(4);
        logits[1, 40] = tensor(float.NaN);
        logits[1, 90] = tensor(float.NaN);
        logits[3, 299] = tensor(1e6f); // in the tail past the last whole vector
        Assert.True(CpuTokenPicker.TryPick(logits, new SamplingOptions { Greedy = true }, new Generator(1), out long[] tokens, out _, out _));
        Assert.Equal(logits.argmax(-1).data<long>().ToArray(), tokens);
        Assert.Equal(40, tokens[1]);
        Assert.Equal(299, tokens[3]);
    }

    static void AssertPicksLikeTorch(Tensor logits, SamplingOptions options, Generator cpuGenerator, Generator torchGenerator)
    {
        Assert.True(CpuTokenPicker.TryPick(logits, options, cpuGenerator, out long[] tokens, out float[] lp, out float[] ent));
        (Tensor expectedTokens, Tensor expectedLp, Tensor expectedEnt) = TokenPicker.Pick(logits, options, torchGenerator);
        Assert.Equal(expectedTokens.data<long>().ToArray(), tokens);
        Assert.Equal(expectedLp.data<float>().ToArray(), lp, (a, b) => Math.Abs(a - b) <= 1e-5);
        Assert.Equal(expectedEnt.data<float>().ToArray(), ent, (a, b) => Math.Abs(a - b) <= 1e-5);
    }

    [Fact]
    public void ZeroMassTokensAreNeverDrawn()
    {
        using var scope = NewDisposeScope();
        Tensor logits = full(4, 50, float.NegativeInfinity);
        logits[.., 7] = tensor(0f);
        logits[.., 30] = tensor(0f);
        var options = new SamplingOptions();
        for (int seed = 0; seed < 30; seed++)
        {
            Assert.True(CpuTokenPicker.TryPick(logits, options, new Generator((ulong)seed), out long[] tokens, out _, out float[] ent));
            Assert.All(tokens, t => Assert.Contains(t, new long[] { 7, 30 }));
            Assert.All(ent, e => Assert.Equal(MathF.Log(2), e, 1e-5f));
        }
    }

    [Fact]
    public void LeavesTruncatedSamplingToTorch()
    {
        using var scope = NewDisposeScope();
        Tensor logits = Logits(2);
        Assert.False(CpuTokenPicker.TryPick(logits, new SamplingOptions { TopP = 0.9 }, new Generator(1), out _, out _, out _));
        Assert.False(CpuTokenPicker.TryPick(logits, new SamplingOptions { TopK = 5 }, new Generator(1), out _, out _, out _));
        Assert.False(CpuTokenPicker.TryPick(logits, new SamplingOptions { Temperature = 0.5 }, new Generator(1), out _, out _, out _));
        Assert.False(CpuTokenPicker.TryPick(logits.to(ScalarType.BFloat16), new SamplingOptions(), new Generator(1), out _, out _, out _));
    }
}
