using Ispo.MathVerify.Rewards;

namespace Ispo.MathVerify.Tests.Rewards;

public class MathRewardTests
{
    [Fact]
    public void DefaultsAreOneZeroZero()
    {
        var reward = new MathReward();
        Assert.Equal("math", reward.Name);
        Assert.Equal(1.0, reward.Score(@"so \boxed{025}", "25", null));
        Assert.Equal(0.0, reward.Score(@"so \boxed{26}", "25", null));
        Assert.Equal(0.0, reward.Score("no answer", "25", null));
    }

    [Fact]
    public void ValuesAreConfigurable()
    {
        var reward = new MathReward(new MathRewardOptions { Correct = 2, Incorrect = -1, NoAnswer = -0.5 });
        Assert.Equal(2.0, reward.Score("Answer: 7", "7", null));
        Assert.Equal(-1.0, reward.Score("Answer: 8", "7", null));
        Assert.Equal(-0.5, reward.Score("I give up", "7", null));
    }

    [Fact]
    public void EmptyGoldIsNotApplicable() => Assert.Null(new MathReward().Score(@"\boxed{1}", " ", new Dictionary<string, string>()));

    [Fact]
    public void StrictByDefaultSoTheLastNumberEarnsNothing()
    {
        Assert.Equal(0.0, new MathReward().Score("it is 7", "7", null));
        var lenient = new MathReward(new MathRewardOptions { Verify = VerifyOptions.Evaluation });
        Assert.Equal(1.0, lenient.Score("it is 7", "7", null));
    }

    [Fact]
    public void BudgetExceededScoresAsIncorrect()
    {
        var reward = new MathReward(new MathRewardOptions { Incorrect = -1 });
        string nested = @"\boxed{" + string.Concat(Enumerable.Repeat(@"\sqrt{", 1_000)) + "2" + new string('}', 1_001);
        Assert.Equal(-1.0, reward.Score(nested, "2", null));
    }

    [Fact]
    public void EvaluateExposesTheReason()
    {
        VerifyResult result = new MathReward().Evaluate(@"\boxed{3}", "4");
        Assert.Equal(VerifyReason.NotEqual, result.Reason);
        Assert.Equal(0.0, new MathReward().ScoreOf(result));
    }
}
