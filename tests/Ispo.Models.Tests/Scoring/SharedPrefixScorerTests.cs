using Ispo.Models.Sampling;
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
        var rows = continuations.Select((c, r) => (prompts[r / 3], c)).ToList();
        AssertEqualsEachAlone(model, rows, SharedPrefixScorer.Score(model, rows, chunkSize: 4));
    }

    [Fact]
    public void ContinuationsOfVeryDifferentLengthsRunInSeparateBucketsWithTheSameScores()
    {
        using CausalLM model = TinyModels.Create("Qwen2");
        int[][] continuations = [[13, 14], Enumerable.Range(0, 60).Select(i => 3 + i % 20).ToArray(), [15], [16, 17, 18], Enumerable.Range(0, 57).Select(i => 5 + i % 17).ToArray()];
        Assert.Equal(2, SharedPrefixScorer.LengthBuckets(continuations.Select(c => c.Length).ToArray()).Count);
        var rows = continuations.Select((c, r) => (new[] { 5 + r % 2, 6, 7 }, c)).ToList();
        AssertEqualsEachAlone(model, rows, SharedPrefixScorer.Score(model, rows));
    }

    [Fact]
    public void WithEntropiesItReportsWhatTheSamplerReportedForItsOwnSamples()
    {
        using CausalLM model = TinyModels.Create("Qwen2");
        int[][] prompts = [[5, 6, 7], [8, 9, 10, 11]];
        var options = new SamplingOptions { SamplesPerPrompt = 3, MaxNewTokens = 6, Temperature = 0.7, LogProbTemperature = 0.7, Seed = 4 };
        IReadOnlyList<Sample> samples = Sampler.Generate(model, prompts, options);
        var rows = samples.Select(s => (prompts[s.PromptIndex], s.TokenIds)).ToList();
        (float[][] logProbs, float[][] entropies) = SharedPrefixScorer.ScoreWithEntropies(model, rows, temperature: 0.7);
        float[][] alone = SharedPrefixScorer.Score(model, rows, temperature: 0.7); // the fused log-prob kernel: equal to rounding
        for (int i = 0; i < samples.Count; i++)
        {
            Assert.Equal(samples[i].LogProbs, logProbs[i], (a, b) => Math.Abs(a - b) <= 1e-4);
            Assert.Equal(alone[i], logProbs[i], (a, b) => Math.Abs(a - b) <= 1e-5);
            Assert.Equal(samples[i].Entropies, entropies[i], (a, b) => Math.Abs(a - b) <= 1e-4);
        }
    }

    [Fact]
    public void LengthBucketsPartitionTheRowsLongestFirstAndKeepSimilarLengthsTogether()
    {
        int[] lengths = [3, 40, 2, 38, 3, 41, 1];
        List<int[]> buckets = SharedPrefixScorer.LengthBuckets(lengths);
        Assert.Equal([[5, 1, 3], [0, 4, 2, 6]], buckets);
        Assert.Single(SharedPrefixScorer.LengthBuckets([5, 4, 6, 5]));  // a second call would cost more than the padding
        Assert.Empty(SharedPrefixScorer.LengthBuckets([]));
    }

    [Fact]
    public void RepeatedContextsAndRowsAreScoredOnceAndReturnedForEveryRow()
    {
        using CausalLM model = TinyModels.Create("Qwen2");
        int[] a = [5, 6, 7], b = [8, 9];
        (int[], int[])[] rows = [(a, [13, 14]), (b, [13, 14]), ([.. a], [13, 14]), (a, [15]), (b, [13, 14]), (a, [])];
        float[][] scored = SharedPrefixScorer.Score(model, rows);
        AssertEqualsEachAlone(model, rows.Where(r => r.Item2.Length > 0).ToList(), scored.Where(s => s.Length > 0).ToArray());
        Assert.Equal(scored[0], scored[2]);
        Assert.NotSame(scored[0], scored[2]);
        Assert.NotEqual(scored[0], scored[1]);
        Assert.Empty(scored[5]);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void ThePromptsKeptBySamplingScoreLikeANewPrefillAndSamplingIsUnchanged(int samplesPerPrompt)
    {
        using CausalLM model = TinyModels.Create("Qwen2");
        int[][] prompts = [[5, 9, 14, 3, 22, 7], [8, 4], [17, 11, 6]];
        var options = new SamplingOptions { SamplesPerPrompt = samplesPerPrompt, MaxNewTokens = 6, Seed = 3 };
        (IReadOnlyList<Sample> samples, PromptPrefix kept) = Sampler.GenerateKeepingPrompts(model, prompts, options);
        using (kept)
        {
            Assert.Equal(3, kept.Count);
            Assert.Equal(Sampler.Generate(model, prompts, options).Select(x => x.TokenIds), samples.Select(x => x.TokenIds));
            var rows = samples.Select(x => (x.PromptIndex, x.TokenIds.Take(1 + x.TokenIds.Length / 2).ToArray())).Append((1, Array.Empty<int>())).ToList();
            float[][] onKept = SharedPrefixScorer.Score(model, kept, rows);
            float[][] fresh = SharedPrefixScorer.Score(model, rows.Select(r => (prompts[r.Item1], r.Item2)).ToList());
            Assert.Equal(fresh.Length, onKept.Length);
            for (int r = 0; r < rows.Count; r++) Assert.Equal(fresh[r], onKept[r]); // the same prefill, bit for bit
            Assert.Throws<ArgumentOutOfRangeException>(() => SharedPrefixScorer.Score(model, kept, [(3, new[] { 5 })]));
        }
    }

    [Fact]
    public void RejectsAnEmptyContext()
    {
        using CausalLM model = TinyModels.Create("Llama");
        Assert.Throws<ArgumentException>(() => SharedPrefixScorer.Score(model, [([], [6])]));
    }

    static void AssertEqualsEachAlone(CausalLM model, IReadOnlyList<(int[] Context, int[] Continuation)> rows, float[][] shared)
    {
        for (int r = 0; r < rows.Count; r++)
        {
            (int[] context, int[] continuation) = rows[r];
            int[] full = [.. context, .. continuation];
            using Tensor ids = tensor(full.Select(x => (long)x).ToArray(), [1, full.Length]);
            using Tensor mask = cat([zeros(1, context.Length), ones(1, continuation.Length)], 1);
            using TokenScores reference = Scorer.Score(model, ids, null, mask);
            float[] expected = reference.LogProbs.narrow(1, context.Length, continuation.Length).reshape(-1).data<float>().ToArray();
            Assert.Equal(expected.Length, shared[r].Length);
            for (int j = 0; j < expected.Length; j++) Assert.True(Math.Abs(expected[j] - shared[r][j]) < 1e-4, $"row {r} token {j}: {expected[j]} vs {shared[r][j]}");
        }
    }
}
