using Ispo.MathVerify.Rewards;

namespace Ispo.MathVerify.Tests.Rewards;

public class MathRewardTests
{
    static double Score(MathReward reward, string completion, string gold) => reward.ScoreOf(reward.Evaluate(completion, gold));

    [Fact]
    public void DefaultsAreOneZeroZero()
    {
        var reward = new MathReward();
        Assert.Equal(1.0, Score(reward, @"so \boxed{025}", "25"));
        Assert.Equal(0.0, Score(reward, @"so \boxed{26}", "25"));
        Assert.Equal(0.0, Score(reward, "no answer", "25"));
    }

    [Fact]
    public void ValuesAreConfigurable()
    {
        var reward = new MathReward(new MathRewardOptions { Correct = 2, Incorrect = -1, NoAnswer = -0.5 });
        Assert.Equal(2.0, Score(reward, "Answer: 7", "7"));
        Assert.Equal(-1.0, Score(reward, "Answer: 8", "7"));
        Assert.Equal(-0.5, Score(reward, "I give up", "7"));
    }

    [Fact]
    public void StrictByDefaultSoTheLastNumberEarnsNothing()
    {
        Assert.Equal(0.0, Score(new MathReward(), "it is 7", "7"));
        var lenient = new MathReward(new MathRewardOptions { Verify = VerifyOptions.Evaluation });
        Assert.Equal(1.0, Score(lenient, "it is 7", "7"));
    }

    [Fact]
    public void BudgetExceededScoresAsIncorrect()
    {
        var reward = new MathReward(new MathRewardOptions { Incorrect = -1 });
        string nested = @"\boxed{" + string.Concat(Enumerable.Repeat(@"\sqrt{", 1_000)) + "2" + new string('}', 1_001);
        Assert.Equal(-1.0, Score(reward, nested, "2"));
    }

    [Fact]
    public void EvaluateExposesTheReason()
    {
        VerifyResult result = new MathReward().Evaluate(@"\boxed{3}", "4");
        Assert.Equal(VerifyReason.NotEqual, result.Reason);
        Assert.Equal(0.0, new MathReward().ScoreOf(result));
    }
}
