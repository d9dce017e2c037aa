using Ispo.Models.Sampling;
using Ispo.Models.Scoring;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Cpu;

/// <summary>The same tiny model with Ispo's kernels and with libtorch's ops alone (cpu_kernels: off): the paths the
/// trainer takes agree to float rounding.</summary>
public class CpuBackendTests
{
    static readonly int[][] Contexts = [[12, 7, 33, 4, 19], [6, 6, 21], [40, 2, 9, 15, 28, 3]];

    /// <summary>Runs <paramref name="body"/>(with kernels, without) on two copies of one seeded model.</summary>
    static void OnBoth(string name, Action<CausalLM, CausalLM> body)
    {
        using CausalLM kernels = TinyModels.Create(name), plain = TinyModels.Create(name, kernels: CpuKernels.Off);
        body(kernels, plain);
    }

    static bool Close(float a, float b) => Math.Abs(a - b) <= 1e-4;

    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void GreedySamplesAreIdentical(string name) => OnBoth(name, (kernels, plain) =>
    {
        var options = new SamplingOptions { Greedy = true, MaxNewTokens = 12, SamplesPerPrompt = 2 };
        IReadOnlyList<Sample> expected = Sampler.Generate(plain, Contexts, options), actual = Sampler.Generate(kernels, Contexts, options);
        Assert.Equal(expected.Select(s => s.TokenIds), actual.Select(s => s.TokenIds));
        foreach (var (want, got) in expected.Zip(actual))
        {
            Assert.Equal(want.LogProbs, got.LogProbs, Close);
            Assert.Equal(want.Entropies, got.Entropies, Close);
        }
    });

    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void LogProbsAndTheirGradientsAgree(string name) => OnBoth(name, (kernels, plain) =>
    {
        using var scope = NewDisposeScope();
        Tensor ids = TinyModels.RandomIds(kernels.Config, 3, 9, seed: 4); // [3,9]
        Tensor mask = ones(3, 9, ScalarType.Int64).index_fill_(1, arange(2), 0); // left padding
        Tensor response = zeros(3, 9).index_fill_(1, arange(4, 9), 1);
        var options = new ScoreOptions { ComputeEntropy = false };
        using TokenScores expected = Scorer.Score(plain, ids, mask, response, options, withGrad: true);
        using TokenScores actual = Scorer.Score(kernels, ids, mask, response, options, withGrad: true);
        Assert.True(TinyModels.MaxAbsDiff(expected.LogProbs, actual.LogProbs) <= 1e-4);
        expected.LogProbs.sum().backward();
        actual.LogProbs.sum().backward();
        foreach (var (want, got) in plain.named_parameters().Zip(kernels.named_parameters()))
            Assert.True(TinyModels.MaxAbsDiff(want.parameter.grad!, got.parameter.grad!) <= 1e-4, want.name);
    });

    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void SharedPrefixScoresAgree(string name) => OnBoth(name, (kernels, plain) =>
    {
        var rows = Contexts.Select((c, i) => (c, new[] { 3 + i, 8, 12, 40 })).ToList();
        float[][] expected = SharedPrefixScorer.Score(plain, rows), actual = SharedPrefixScorer.Score(kernels, rows);
        foreach (var (want, got) in expected.Zip(actual)) Assert.Equal(want, got, Close);
    });
}
