using Ispo.Algorithms;
using Ispo.Models;
using Ispo.Models.Scoring;
using Ispo.Training.Rollouts;
using Ispo.Training.Tests.Trainer;
using static TorchSharp.torch;

namespace Ispo.Training.Tests.Rollouts;

public class RolloutScoringTests
{
    static Rollout Row(int group, int[] prompt, int[] response, bool[] answer) => new()
    {
        Group = group, PromptTokens = prompt, ResponseTokens = response, OldLogProbs = new float[response.Length],
        Entropies = new float[response.Length], Completion = "", Outcome = 0, Truncated = false, AnswerMask = answer,
    };

    static float[] Reference(CausalLM model, int[] context, int[] continuation)
    {
        int[] full = [.. context, .. continuation];
        using Tensor ids = tensor(full.Select(x => (long)x).ToArray(), [1, full.Length]);
        using Tensor mask = cat([zeros(1, context.Length), ones(1, continuation.Length)], 1);
        using TokenScores s = Scorer.Score(model, ids, null, mask);
        return s.LogProbs.narrow(1, context.Length, continuation.Length).reshape(-1).data<float>().ToArray();
    }

    readonly List<Rollout> rows =
    [
        Row(0, [5, 6, 7], [10, 11, 12, 1], [false, true, true, false]),
        Row(0, [5, 6, 7], [13, 1], [false, false]),
        Row(1, [8, 9], [14, 15, 16], [false, false, true]),
        Row(1, [8, 9], [17, 18], [true, true]),
    ];

    [Fact]
    public void BaseLogProbsEqualScoringEachSequence()
    {
        using CausalLM model = RlTrainerTests.TinyModel();
        float[][] scored = RolloutScoring.ScoreResponses(model, rows);
        for (int i = 0; i < rows.Count; i++)
            Assert.All(scored[i].Zip(Reference(model, rows[i].PromptTokens, rows[i].ResponseTokens)), p => Assert.True(Math.Abs(p.First - p.Second) < 1e-4));
    }

    [Fact]
    public void AblatedAnswerIsTeacherForcedRightAfterThePromptAndPlacedOnAnswerPositions()
    {
        using CausalLM model = RlTrainerTests.TinyModel();
        float[][] ablated = RolloutScoring.ScoreAblatedAnswers(model, rows);
        float[] first = Reference(model, [5, 6, 7], [11, 12]);
        Assert.Equal(0f, ablated[0][0]);
        Assert.True(Math.Abs(first[0] - ablated[0][1]) < 1e-4 && Math.Abs(first[1] - ablated[0][2]) < 1e-4);
        Assert.Equal(0f, ablated[0][3]);
        Assert.All(ablated[1], v => Assert.Equal(0f, v));                         // no answer: nothing scored
        Assert.True(Math.Abs(Reference(model, [8, 9], [16])[0] - ablated[2][2]) < 1e-4);
    }

    [Fact]
    public void TheAblatedPassReadsThePromptThenTheSegmentPrefixThenScoresOnlyTheAnswer()
    {
        using CausalLM model = RlTrainerTests.TinyModel();
        // response 10 11 12 13 1: trace 10, prefix 11 12 (e.g. \boxed{), answer 13, then a closing token
        Rollout row = Row(0, [5, 6, 7], [10, 11, 12, 13, 1], [false, false, false, true, false]) with
        {
            AnswerPrefixMask = [false, true, true, false, false],
        };
        float[] ablated = RolloutScoring.ScoreAblatedAnswers(model, [row])[0];
        Assert.True(Math.Abs(Reference(model, [5, 6, 7, 11, 12], [13])[0] - ablated[3]) < 1e-4);
        Assert.Equal([0f, 0f, 0f, 0f], new[] { ablated[0], ablated[1], ablated[2], ablated[4] });   // the prefix is fed, not scored
        Assert.NotEqual(RolloutScoring.ScoreAblatedAnswers(model, [row with { AnswerPrefixMask = [] }])[0][3], ablated[3]);
    }

    [Fact]
    public void BothPassesOnTwoWorkersEqualEachPassAlone()
    {
        using CausalLM policy = RlTrainerTests.TinyModel();
        using CausalLM reference = RlTrainerTests.TinyModel(seed: 7);
        using var threads = Ispo.Models.Runtime.TorchThreads.Use(1); // leaves a core idle on any machine with two
        List<Rollout> many = [.. Enumerable.Range(0, 6).SelectMany(g => rows.Select(r => r with { Group = r.Group + 2 * g }))];
        List<Rollout> done = RolloutScoring.Complete(many, Algorithms.BatchInputs.BaseLogProbs | Algorithms.BatchInputs.AblatedAnswer,
            policy, () => reference, rowsPerPass: 5);
        float[][] expectedBase = RolloutScoring.ScoreResponses(reference, many);
        float[][] expectedAblated = RolloutScoring.ScoreAblatedAnswers(policy, many);
        for (int i = 0; i < many.Count; i++)
        {
            Assert.All(expectedBase[i].Zip(done[i].BaseLogProbs!), p => Assert.True(Math.Abs(p.First - p.Second) < 1e-5));
            Assert.All(expectedAblated[i].Zip(done[i].AblatedAnswerLogProbs!), p => Assert.True(Math.Abs(p.First - p.Second) < 1e-5));
        }
    }

    [Fact]
    public void TheSplitFallsOnAGroupBoundaryAndBalancesTheTwoWorkers()
    {
        // 4 groups of 2: prompts of 10 tokens, responses of 20, answers of 2 → base 4·10 + 8·20 = 200, ablated 4·10 + 8·2 = 56
        List<Rollout> batch = [.. Enumerable.Range(0, 8).Select(i => Row(i / 2, new int[10], new int[20], [.. Enumerable.Range(0, 20).Select(t => t >= 18)]))];
        int split = RolloutScoring.BalancedSplit(batch);
        Assert.Equal(2, split);                    // 56 + 50 on one worker, 150 on the other: the closest group cut to 128 each
        Assert.Equal(4, RolloutScoring.BalancedSplit(batch, withAblated: false)); // the base pass alone: half each
        Assert.Equal(0, RolloutScoring.BalancedSplit([.. batch.Select(r => r with { AnswerMask = new bool[20].Select(_ => true).ToArray() })]));
    }

    [Theory]
    [InlineData(AnswerSpan.Content)]
    [InlineData(AnswerSpan.Segment)]
    public void AblatedAnswersScoredOnTheSamplersPrefillEqualASeparatePass(AnswerSpan span)
    {
        using CausalLM policy = RlTrainerTests.TinyModel();
        var env = new FakeEnvironment(RlTrainerTests.Tiny.VocabSize);
        var options = new Models.Sampling.SamplingOptions { SamplesPerPrompt = 3, MaxNewTokens = 7, Seed = 5 };
        List<Rollout> plain = RolloutGenerator.Generate(policy, FakeEnvironment.Problems(4), env, options, answerSpan: span);
        List<Rollout> scored = RolloutGenerator.Generate(policy, FakeEnvironment.Problems(4), env, options, ablatedRowsPerPass: 5, answerSpan: span);
        Assert.All(plain, r => Assert.Null(r.AblatedAnswerLogProbs));
        Assert.Contains(scored, r => r.AnswerLength > 0);
        // the fake's segment is its last 3 characters, the content its last 2
        Assert.All(scored, r => Assert.True(span == AnswerSpan.Content ? r.AnswerPrefixLength == (r.AnswerLength > 0 ? 1 : 0) : r.AnswerPrefixLength == 0));
        float[][] separate = RolloutScoring.ScoreAblatedAnswers(policy, plain);
        for (int i = 0; i < plain.Count; i++)
        {
            Assert.Equal(plain[i].ResponseTokens, scored[i].ResponseTokens);
            Assert.All(separate[i].Zip(scored[i].AblatedAnswerLogProbs!), p => Assert.True(Math.Abs(p.First - p.Second) < 1e-5));
        }
    }
}
