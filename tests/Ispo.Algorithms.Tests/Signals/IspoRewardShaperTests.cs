using static TorchSharp.torch;

namespace Ispo.Algorithms.Tests;

public class IspoRewardShaperTests
{
    [Fact]
    public void AddsTheIntrinsicTermsToTheIncomingReward()
    {
        Row[] rows = Batches.RandomRows(new Random(23), 8, 12);
        var batch = Batches.From(4, rows);
        var shaper = new IspoRewardShaper(new IspoOptions());
        var signals = IspoSignals.Compute(batch, new IspoOptions());
        var shaped = shaper.Shape(batch, batch.OutcomeRewards - 0.25f);      // e.g. after an overlong penalty
        Assert.True(shaped.Rewards.allclose(signals.Reward - 0.25f, 1e-5, 1e-6));
        Assert.True(shaped.Metrics.ContainsKey("ispo/critical_frac"));
    }

    [Fact]
    public void NeedsFollowTheCoefficients()
    {
        Assert.Equal(BatchInputs.AblatedAnswer | BatchInputs.Entropies | BatchInputs.BaseLogProbs, new IspoRewardShaper(new IspoOptions()).Needs);
        Assert.Equal(BatchInputs.AblatedAnswer, new IspoRewardShaper(new IspoOptions { Lambda2 = 0 }).Needs);
        Assert.Equal(BatchInputs.None, new IspoRewardShaper(new IspoOptions { Lambda1 = 0, Lambda2 = 0 }).Needs);
        Assert.Equal(BatchInputs.AblatedAnswer | BatchInputs.Entropies, new IspoRewardShaper(new IspoOptions { CriticalSet = CriticalSet.Entropy }).Needs);
        Assert.Equal(BatchInputs.AblatedAnswer | BatchInputs.AnswerSegment | BatchInputs.Entropies | BatchInputs.BaseLogProbs,
            new IspoRewardShaper(new IspoOptions { AnswerSpan = AnswerSpan.Segment }).Needs);
        Assert.Throws<ArgumentException>(() => new IspoRewardShaper(new IspoOptions { TopK = 1.5 }));
    }

    [Fact]
    public void WorksWithoutTheInputsOfDisabledTerms()
    {
        var batch = Batches.From(2, Batches.RandomRows(new Random(2), 4, 6)) with { AnswerMask = null, AblatedAnswerLogProbs = null };
        var shaped = new IspoRewardShaper(new IspoOptions { Lambda1 = 0 }).Shape(batch, batch.OutcomeRewards);
        Assert.Equal(4, shaped.Rewards.shape[0]);
        Assert.Throws<ArgumentException>(() => new IspoRewardShaper(new IspoOptions()).Shape(batch, batch.OutcomeRewards));
    }
}
