using Ispo.Models.Sampling;
using Ispo.Models.Scoring;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Cpu;

/// <summary>The same tiny model with Ispo's kernels and with libtorch's ops alone (cpu_kernels: off): every path the
/// trainer takes agrees to float rounding.</summary>
public class CpuBackendTests
{
    static readonly int[][] Prompts = [[5, 9, 14, 3, 22, 7, 30], [8, 4], [17, 11, 6, 25]];

    static (CausalLM Kernels, CausalLM Plain) Pair(string name) =>
        (TinyModels.Create(name), TinyModels.Create(name, kernels: CpuKernels.Off));

    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void GreedySamplesAreIdentical(string name)
    {
        (CausalLM kernels, CausalLM plain) = Pair(name);
        using var _ = kernels;
        using var __ = plain;
        var options = new SamplingOptions { Greedy = true, MaxNewTokens = 12, SamplesPerPrompt = 2 };
        IReadOnlyList<Sample> expected = Sampler.Generate(plain, Prompts, options), actual = Sampler.Generate(kernels, Prompts, options);
        Assert.Equal(expected.Select(s => s.TokenIds), actual.Select(s => s.TokenIds));
        for (int i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].LogProbs, actual[i].LogProbs, (a, b) => Math.Abs(a - b) <= 1e-4);
            Assert.Equal(expected[i].Entropies, actual[i].Entropies, (a, b) => Math.Abs(a - b) <= 1e-4);
        }
    }

    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void LogProbsAndTheirGradientsAgree(string name)
    {
        (CausalLM kernels, CausalLM plain) = Pair(name);
        using var _ = kernels;
        using var __ = plain;
        using var scope = NewDisposeScope();
        Tensor ids = TinyModels.RandomIds(kernels.Config, 3, 9, seed: 4);
        Tensor mask = tensor(new long[] { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1 }, [3, 9]);
        Tensor response = zeros(3, 9).index_fill_(1, arange(4, 9), 1);
        var options = new ScoreOptions { ComputeEntropy = false };
        using TokenScores expected = Scorer.Score(plain, ids, mask, response, options, withGrad: true);
        using TokenScores actual = Scorer.Score(kernels, ids, mask, response, options, withGrad: true);
        Assert.True(TinyModels.MaxAbsDiff(expected.LogProbs, actual.LogProbs) <= 1e-4);
        expected.LogProbs.sum().backward();
        actual.LogProbs.sum().backward();
        foreach (var (want, got) in plain.named_parameters().Zip(kernels.named_parameters()))
            Assert.True(TinyModels.MaxAbsDiff(want.parameter.grad!, got.parameter.grad!) <= 1e-4, want.name);
    }

    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void SharedPrefixScoresAgree(string name)
    {
        (CausalLM kernels, CausalLM plain) = Pair(name);
        using var _ = kernels;
        using var __ = plain;
        var rows = Prompts.Select((p, i) => (p, new[] { 3 + i, 8, 12, 40 })).ToList();
        float[][] expected = SharedPrefixScorer.Score(plain, rows), actual = SharedPrefixScorer.Score(kernels, rows);
        for (int i = 0; i < rows.Count; i++) Assert.Equal(expected[i], actual[i], (a, b) => Math.Abs(a - b) <= 1e-4);
    }
}
