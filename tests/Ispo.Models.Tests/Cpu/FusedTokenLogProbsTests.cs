using Ispo.Models.Cpu;
using Ispo.Models.Runtime;
using Ispo.Models.Scoring;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Cpu;

public class FusedTokenLogProbsTests
{
    [Theory]
    [InlineData(3, 11, 1.0, 1)]    // a vocab with a scalar tail after the vectors
    [InlineData(70, 1000, 0.7, 2)] // under two torch threads
    [InlineData(5, 64, 1.6, 1)]
    public void ValuesAndGradientsEqualLogSoftmaxGather(int n, int v, double temperature, int threads)
    {
        using var scope = NewDisposeScope();
        using var _ = TorchThreads.Use(threads);
        var generator = new Generator(31);
        Tensor logits64 = randn(n, v, dtype: ScalarType.Float64, generator: generator).mul_(3);
        Tensor tokens = randint(0, v, [n], dtype: ScalarType.Int64, generator: generator);
        Tensor upstream64 = randn(n, dtype: ScalarType.Float64, generator: generator);

        Tensor reference = logits64.clone().requires_grad_(true);
        Tensor expected = reference.div(temperature).log_softmax(-1).gather(-1, tokens.unsqueeze(-1)).squeeze(-1);
        expected.mul(upstream64).sum().backward();

        Tensor logits = logits64.to(ScalarType.Float32).requires_grad_(true);
        Tensor actual = FusedTokenLogProbs.Apply(logits, tokens, temperature);
        actual.mul(upstream64.to(ScalarType.Float32)).sum().backward();

        Assert.Equal(new long[] { n }, actual.shape);
        float diff = TinyModels.MaxAbsDiff(expected.detach().to(ScalarType.Float32), actual.detach());
        Assert.True(diff < 1e-5, $"max diff {diff}");
        Assert.True(TinyModels.MaxAbsDiff(reference.grad!.to(ScalarType.Float32), logits.grad!) < 1e-5);
    }

    [Fact]
    public void MaskedAndNonFiniteLogitsBehaveLikeTorch()
    {
        using var scope = NewDisposeScope();
        float inf = float.PositiveInfinity;
        Tensor logits = tensor(new float[,]
        {
            { 1, -inf, 2, 0.5f, -inf, 3, 1, 1, 0 },  // masked tokens: p = 0
            { 1, float.NaN, 2, 0, 0, 0, 0, 0, 0 },    // NaN in the vector part
            { 1, 2, 3, 4, 5, 6, 7, 8, float.NaN },    // NaN in the tail
            { 1, inf, 2, 0, 0, 0, 0, 0, 0 },          // +inf
        });
        Tensor tokens = tensor(new long[] { 0, 0, 0, 0 });
        float[] expected = logits.log_softmax(-1).gather(-1, tokens.unsqueeze(-1)).squeeze(-1).data<float>().ToArray();
        float[] actual = FusedTokenLogProbs.Apply(logits, tokens, 1.0).data<float>().ToArray();
        Assert.Equal(expected[0], actual[0], 5);
        Assert.All(actual.Skip(1), x => Assert.True(float.IsNaN(x)));
        Assert.All(expected.Skip(1), x => Assert.True(float.IsNaN(x)));
    }

    [Fact]
    public void RejectsTokensOutsideTheVocabulary()
    {
        using var scope = NewDisposeScope();
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => FusedTokenLogProbs.Apply(zeros(2, 5), tensor(new long[] { 1, 5 }), 1.0));
        Assert.Contains("[0, 5)", e.Message);
    }

    [Fact]
    public void WithoutGradientsGivesTheSameValues()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(32);
        Tensor logits = randn(40, 300, generator: generator), tokens = randint(0, 300, [40], dtype: ScalarType.Int64, generator: generator);
        Tensor withGraph = FusedTokenLogProbs.Apply(logits.requires_grad_(true), tokens, 1.0);
        Tensor plain;
        using (no_grad()) plain = FusedTokenLogProbs.Apply(logits, tokens, 1.0);
        Assert.True(withGraph.requires_grad);
        Assert.False(plain.requires_grad);
        Assert.Equal(withGraph.detach().data<float>().ToArray(), plain.data<float>().ToArray());
    }
}
