using Ispo.Models;
using Ispo.Models.Sampling;
using Ispo.Training.Planning;
using Ispo.Training.Rollouts;
using Ispo.Training.Tests.Trainer;

namespace Ispo.Training.Tests.Rollouts;

/// <summary>Rollouts sampled in chunks under a KV-cache budget: the same rows in the same layout, the same samples where
/// no randomness is drawn (greedy), and each chunk exactly what sampling its prompts alone with its seed gives.</summary>
public class RolloutGeneratorTests
{
    static readonly SamplingOptions Options = new() { SamplesPerPrompt = 3, MaxNewTokens = 7, Seed = 5 };

    /// <summary>A budget of one group (3 rows) of the longest prompt + 7 new tokens: one prompt per chunk.</summary>
    static long OneGroup(CausalLM policy, IReadOnlyList<TrainingProblem> problems, FakeEnvironment env) =>
        3 * RolloutChunk.KvBytesPerRow(policy.Config, 4, problems.Max(p => env.EncodePrompt(p).Length) + Options.MaxNewTokens);

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void GreedyChunksGiveTheUnchunkedRollouts(int ablatedRowsPerPass)
    {
        using CausalLM policy = RlTrainerTests.TinyModel();
        var env = new FakeEnvironment(RlTrainerTests.Tiny.VocabSize);
        IReadOnlyList<TrainingProblem> problems = FakeEnvironment.Problems(4);
        SamplingOptions greedy = Options with { Greedy = true };
        long budget = OneGroup(policy, problems, env);
        Assert.Equal(1, RolloutGenerator.ChunkPrompts(policy, problems.Select(env.EncodePrompt).ToArray(), greedy, budget));
        List<Rollout> whole = RolloutGenerator.Generate(policy, problems, env, greedy, groupOffset: 8, ablatedRowsPerPass);
        List<Rollout> chunked = RolloutGenerator.Generate(policy, problems, env, greedy, groupOffset: 8, ablatedRowsPerPass, kvCacheBudget: budget);
        Assert.Equal(whole.Count, chunked.Count);
        for (int i = 0; i < whole.Count; i++)
        {
            Assert.Equal((8 + i / 3, whole[i].ProblemId), (chunked[i].Group, chunked[i].ProblemId));
            Assert.Equal(whole[i].ResponseTokens, chunked[i].ResponseTokens);
            Assert.All(whole[i].OldLogProbs.Zip(chunked[i].OldLogProbs), p => Assert.True(Math.Abs(p.First - p.Second) < 1e-5));
            if (ablatedRowsPerPass > 0)
                Assert.All(whole[i].AblatedAnswerLogProbs!.Zip(chunked[i].AblatedAnswerLogProbs!), p => Assert.True(Math.Abs(p.First - p.Second) < 1e-5));
        }
    }

    [Fact]
    public void EachSampledChunkIsItsPromptsSampledAloneWithTheChunkSeed()
    {
        using CausalLM policy = RlTrainerTests.TinyModel();
        var env = new FakeEnvironment(RlTrainerTests.Tiny.VocabSize);
        IReadOnlyList<TrainingProblem> problems = FakeEnvironment.Problems(5);
        long budget = 2 * OneGroup(policy, problems, env);   // two prompts per chunk: 2 + 2 + 1
        List<Rollout> chunked = RolloutGenerator.Generate(policy, problems, env, Options, groupOffset: 10, kvCacheBudget: budget);
        Assert.Equal(15, chunked.Count);
        Assert.Equal(Enumerable.Range(0, 15).Select(i => 10 + i / 3), chunked.Select(r => r.Group));
        for (int c = 0; c < 3; c++)
        {
            int start = 2 * c, count = Math.Min(2, 5 - start);
            SamplingOptions seeded = c == 0 ? Options : Options with { Seed = RolloutGenerator.ChunkSeed(Options.Seed, c) };
            List<Rollout> alone = RolloutGenerator.Generate(policy, problems.Skip(start).Take(count).ToList(), env, seeded, groupOffset: 10 + start);
            Assert.Equal(alone.Select(r => (r.Group, string.Join(",", r.ResponseTokens))),
                chunked.Skip(3 * start).Take(3 * count).Select(r => (r.Group, string.Join(",", r.ResponseTokens))));
        }
        Assert.NotEqual(RolloutGenerator.ChunkSeed(5, 1), RolloutGenerator.ChunkSeed(5, 2));
    }

    [Fact]
    public void TheChunkIsWholeGroupsWithinTheBudgetAtLeastOneAtMostAll()
    {
        // tiny dims: 2 layers × k and v × 2 kv heads × dim 8 × 4 bytes + a 4-byte key bias = 260 per position
        Assert.Equal(260, new TokenBytes(RlTrainerTests.Tiny, 4, false).KvPerToken);
        long perRow = RolloutChunk.KvBytesPerRow(RlTrainerTests.Tiny, 4, 20);
        Assert.Equal(20 * 260 * 7 / 4, perRow);
        Assert.Equal(3, RolloutChunk.Prompts(3 * 4 * perRow + 4 * perRow - 1, perRow, groupSize: 4, prompts: 10));
        Assert.Equal(1, RolloutChunk.Prompts(1, perRow, 4, 10));
        Assert.Equal(10, RolloutChunk.Prompts(1L << 40, perRow, 4, 10));
        Assert.Equal(10, RolloutChunk.Prompts(null, perRow, 4, 10));
    }
}
