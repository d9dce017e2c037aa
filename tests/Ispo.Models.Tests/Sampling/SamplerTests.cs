using Ispo.Models.Sampling;
using Ispo.Models.Scoring;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Sampling;

public class SamplerTests
{
    static readonly int[][] Prompts = [[5, 9, 14, 3, 22, 7, 30], [8, 4], [17, 11, 6, 25]];

    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void BatchedPromptsOfDifferentLengthsEqualEachAloneGreedy(string name)
    {
        using var model = TinyModels.Create(name);
        var options = new SamplingOptions { Greedy = true, MaxNewTokens = 10 };
        var batched = Sampler.Generate(model, Prompts, options);
        for (int p = 0; p < Prompts.Length; p++)
        {
            var alone = Sampler.Generate(model, [Prompts[p]], options)[0];
            Assert.Equal(alone.TokenIds, batched[p].TokenIds);
            Assert.Equal(alone.LogProbs, batched[p].LogProbs, (a, b) => Math.Abs(a - b) < 1e-4);
        }
    }

    [Fact]
    public void SameSeedSameSamplesDifferentSeedsDiffer()
    {
        using var model = TinyModels.Create(TinyModels.Qwen2);
        var options = new SamplingOptions { SamplesPerPrompt = 3, MaxNewTokens = 12, Seed = 42, TopP = 0.95, TopK = 40 };
        var a = Sampler.Generate(model, Prompts, options);
        var b = Sampler.Generate(model, Prompts, options);
        var c = Sampler.Generate(model, Prompts, options with { Seed = 43 });
        Assert.Equal(a.Select(s => s.TokenIds), b.Select(s => s.TokenIds));
        Assert.Equal(a.Select(s => s.LogProbs), b.Select(s => s.LogProbs));
        Assert.NotEqual(a.SelectMany(s => s.TokenIds), c.SelectMany(s => s.TokenIds));
    }

    [Fact]
    public void RowsAreContiguousGroupsPerPrompt()
    {
        using var model = TinyModels.Create(TinyModels.Llama);
        var samples = Sampler.Generate(model, Prompts, new SamplingOptions { SamplesPerPrompt = 4, MaxNewTokens = 5, Seed = 1 });
        Assert.Equal([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2], samples.Select(s => s.PromptIndex));
        Assert.All(samples, s => Assert.Equal(FinishReason.Length, s.FinishReason));
        Assert.All(samples, s => Assert.Equal(5, s.TokenIds.Length));
        Assert.True(samples.Take(4).Select(s => string.Join(",", s.TokenIds)).Distinct().Count() > 1);
    }

    [Fact]
    public void LogProbsAndEntropiesMatchTheScorer()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(TinyModels.Qwen2);
        int[] prompt = Prompts[0];
        var sample = Sampler.Generate(model, [prompt], new SamplingOptions { MaxNewTokens = 8, Seed = 3, Temperature = 0.7 })[0];
        long[] sequence = prompt.Concat(sample.TokenIds).Select(x => (long)x).ToArray();
        Tensor ids = tensor(sequence, [1, sequence.Length]);
        Tensor response = cat([zeros(1, prompt.Length), ones(1, sample.TokenIds.Length)], 1);
        using var scores = Scorer.Score(model, ids, null, response);
        float[] lp = scores.LogProbs[0].narrow(0, prompt.Length, sample.TokenIds.Length).data<float>().ToArray();
        float[] ent = scores.Entropies![0].narrow(0, prompt.Length, sample.TokenIds.Length).data<float>().ToArray();
        Assert.Equal(lp, sample.LogProbs, (a, b) => Math.Abs(a - b) < 1e-4);
        Assert.Equal(ent, sample.Entropies, (a, b) => Math.Abs(a - b) < 1e-4);
    }

    [Fact]
    public void EosEndsARowAndIsKept()
    {
        using var model = TinyModels.Create(TinyModels.Qwen2);
        var greedy = Sampler.Generate(model, [Prompts[1]], new SamplingOptions { Greedy = true, MaxNewTokens = 6 })[0];
        int eos = greedy.TokenIds[2];
        var stopped = Sampler.Generate(model, [Prompts[1]], new SamplingOptions { Greedy = true, MaxNewTokens = 6, EosTokenIds = [eos] })[0];
        Assert.Equal(FinishReason.Eos, stopped.FinishReason);
        Assert.Equal(eos, stopped.TokenIds[^1]);
        Assert.True(stopped.TokenIds.Length <= 3);
        Assert.Equal(stopped.TokenIds.Length, stopped.LogProbs.Length);
    }

    [Fact]
    public void StopStringEndsARow()
    {
        using var model = TinyModels.Create(TinyModels.Llama);
        static string Decode(IReadOnlyList<int> ids) => string.Concat(ids.Select(i => $"<{i}>"));
        var greedy = Sampler.Generate(model, [Prompts[2]], new SamplingOptions { Greedy = true, MaxNewTokens = 6 })[0];
        string stop = $"<{greedy.TokenIds[1]}>";
        var stopped = Sampler.Generate(model, [Prompts[2]],
            new SamplingOptions { Greedy = true, MaxNewTokens = 6, StopStrings = [stop], Decode = Decode })[0];
        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.EndsWith(stop, Decode(stopped.TokenIds));
    }

    [Fact]
    public void StopStringsSpanningTokensAreFoundFromABoundedTail()
    {
        using var model = TinyModels.Create(TinyModels.Llama);
        var decoded = new List<int>();
        string Decode(IReadOnlyList<int> ids)
        {
            decoded.Add(ids.Count);
            return string.Concat(ids.Select(i => $"<{i}>"));
        }
        var greedy = Sampler.Generate(model, [Prompts[2]], new SamplingOptions { Greedy = true, MaxNewTokens = 40 })[0];
        var never = Sampler.Generate(model, [Prompts[2]],
            new SamplingOptions { Greedy = true, MaxNewTokens = 40, StopStrings = ["~~"], Decode = Decode })[0];
        Assert.Equal(greedy.TokenIds, never.TokenIds);
        Assert.Equal(4 * 2 + 4, decoded.Max()); // the tail window, not the whole 40-token completion

        string stop = $"<{greedy.TokenIds[30]}><{greedy.TokenIds[31]}><{greedy.TokenIds[32]}>";
        int first = Enumerable.Range(2, 31).First(t => string.Concat(greedy.TokenIds.Take(t + 1).Select(i => $"<{i}>")).Contains(stop));
        var stopped = Sampler.Generate(model, [Prompts[2]],
            new SamplingOptions { Greedy = true, MaxNewTokens = 40, StopStrings = [stop], Decode = Decode })[0];
        Assert.Equal(FinishReason.Stop, stopped.FinishReason);
        Assert.Equal(first + 1, stopped.TokenIds.Length);
    }

    [Fact]
    public void RowsThatFinishEarlyLeaveTheBatchWithoutChangingTheOthers()
    {
        using var model = TinyModels.Create(TinyModels.Qwen2);
        static string Decode(IReadOnlyList<int> ids) => string.Concat(ids.Select(i => $"<{i}>"));
        var first = Sampler.Generate(model, [Prompts[0]], new SamplingOptions { Greedy = true, MaxNewTokens = 12 })[0];
        var options = new SamplingOptions { Greedy = true, MaxNewTokens = 12, StopStrings = [$"<{first.TokenIds[1]}>"], Decode = Decode };
        var batched = Sampler.Generate(model, Prompts, options);
        Assert.True(batched[0].TokenIds.Length <= 2); // stops at once, so the other rows go on in a smaller batch
        for (int p = 0; p < Prompts.Length; p++)
        {
            Sample alone = Sampler.Generate(model, [Prompts[p]], options)[0];
            Assert.Equal(alone.TokenIds, batched[p].TokenIds);
            Assert.Equal(alone.FinishReason, batched[p].FinishReason);
            for (int t = 0; t < alone.TokenIds.Length; t++)
            {
                Assert.Equal(alone.LogProbs[t], batched[p].LogProbs[t], 1e-4);
                Assert.Equal(alone.Entropies[t], batched[p].Entropies[t], 1e-4);
            }
        }
    }

    [Fact]
    public void TopKOneIsGreedy()
    {
        using var model = TinyModels.Create(TinyModels.Llama);
        var greedy = Sampler.Generate(model, Prompts, new SamplingOptions { Greedy = true, MaxNewTokens = 6 });
        var topOne = Sampler.Generate(model, Prompts, new SamplingOptions { TopK = 1, MaxNewTokens = 6, Seed = 9 });
        Assert.Equal(greedy.Select(s => s.TokenIds), topOne.Select(s => s.TokenIds));
    }

    [Fact]
    public void StopStringsNeedADecoder()
    {
        using var model = TinyModels.Create(TinyModels.Llama);
        Assert.Throws<ArgumentException>(() => Sampler.Generate(model, Prompts, new SamplingOptions { StopStrings = ["x"] }));
    }
}
