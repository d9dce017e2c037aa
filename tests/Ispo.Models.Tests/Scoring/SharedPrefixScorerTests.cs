using Ispo.Models.Scoring;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Scoring;

public class SharedPrefixScorerTests
{
    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void EqualsScoringEachFullSequence(string name)
    {
        using CausalLM model = TinyModels.Create(name);
        int[][] prompts = [[5, 6, 7], [8, 9, 10, 11, 12]];
        int[][] continuations = [[13, 14], [15, 16, 17, 18], [19], [20, 21, 22], [23, 24, 25, 26, 27], [28, 29]];
        float[][] shared = SharedPrefixScorer.Score(model, prompts, perPrompt: 3, continuations, chunkSize: 4);
        for (int r = 0; r < continuations.Length; r++)
        {
            int[] full = [.. prompts[r / 3], .. continuations[r]];
            using Tensor ids = tensor(full.Select(x => (long)x).ToArray(), [1, full.Length]);
            using Tensor mask = cat([zeros(1, prompts[r / 3].Length), ones(1, continuations[r].Length)], 1);
            using TokenScores reference = Scorer.Score(model, ids, null, mask);
            float[] expected = reference.LogProbs.narrow(1, prompts[r / 3].Length, continuations[r].Length).reshape(-1).data<float>().ToArray();
            Assert.Equal(expected.Length, shared[r].Length);
            for (int j = 0; j < expected.Length; j++) Assert.True(Math.Abs(expected[j] - shared[r][j]) < 1e-4, $"row {r} token {j}: {expected[j]} vs {shared[r][j]}");
        }
    }

    [Fact]
    public void RejectsMismatchedCounts()
    {
        using CausalLM model = TinyModels.Create("Llama");
        Assert.Throws<ArgumentException>(() => SharedPrefixScorer.Score(model, [[5]], 2, [[6]]));
    }
}
