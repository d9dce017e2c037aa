using Ispo.Models.Sampling;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Sampling;

public class TokenPickerTests
{
    [Fact]
    public void TopPKeepsTheSmallestSetReachingP()
    {
        using var scope = NewDisposeScope();
        // probabilities 0.5, 0.3, 0.15, 0.05: p = 0.7 keeps {0, 1}, never 2 or 3
        Tensor logits = tensor(new[] { 0.5f, 0.3f, 0.15f, 0.05f }).log().unsqueeze(0).expand(2000, 4).contiguous();
        var options = new SamplingOptions { TopP = 0.7 };
        (Tensor tokens, _, _) = TokenPicker.Pick(logits, options, new Generator(7));
        long[] counts = bincount(tokens, minlength: 4).data<long>().ToArray();
        Assert.Equal(0, counts[2] + counts[3]);
        Assert.InRange(counts[0] / 2000.0, 0.5 / 0.8 - 0.05, 0.5 / 0.8 + 0.05);
    }

    [Fact]
    public void LogProbsAndEntropiesAreOfTheUntruncatedDistribution()
    {
        using var scope = NewDisposeScope();
        float[] p = [0.5f, 0.25f, 0.25f];
        Tensor logits = tensor(p).log().unsqueeze(0);
        (Tensor tokens, Tensor lp, Tensor ent) = TokenPicker.Pick(logits, new SamplingOptions { TopK = 1 }, new Generator(1));
        Assert.Equal(0, tokens.item<long>());
        Assert.Equal(Math.Log(0.5), lp.item<float>(), 5);
        Assert.Equal(-(0.5 * Math.Log(0.5) + 0.5 * Math.Log(0.25)), ent.item<float>(), 5);
    }

    [Fact]
    public void PlainSamplingSharesOneSoftmaxAndMatchesTheNaivePath()
    {
        using var scope = NewDisposeScope();
        Tensor logits = randn(64, 50, generator: new Generator(3)) * 3; // [N,V]
        var options = new SamplingOptions { Temperature = 0.7, LogProbTemperature = 0.7 };
        (Tensor tokens, Tensor lp, Tensor ent) = TokenPicker.Pick(logits, options, new Generator(9));
        // naive: inverse-CDF draw from softmax with the same uniforms, then log-probs and entropy separately
        Tensor cdf = (logits / 0.7).softmax(-1).cumsum(-1);
        Tensor u = rand(64, 1, generator: new Generator(9)) * cdf.narrow(-1, 49, 1);
        Tensor expected = searchsorted(cdf, u, right: true).squeeze(-1).clamp_max_(49);
        (Tensor expectedLp, Tensor? expectedEnt) = TokenPicker.LogProbsAndEntropies(logits, expected, 0.7);
        Assert.Equal(expected.data<long>().ToArray(), tokens.data<long>().ToArray());
        Assert.True((lp - expectedLp).abs().max().item<float>() <= 1e-5);
        Assert.True((ent - expectedEnt!).abs().max().item<float>() <= 1e-5);
    }
}
