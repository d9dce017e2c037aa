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
}
