using static TorchSharp.torch;

namespace Ispo.Algorithms.Tests;

public class BatchDiagnosticsTests
{
    [Fact]
    public void HandComputed()
    {
        var batch = Batches.From(2,
            new Row(1, [-1, -1], [0.5, 1.5], [-1, -1], [false, false], [0, 0]),
            new Row(0, [-1], [2], [-1], [false], [0], Truncated: true),
            new Row(1, [-1], [1], [-1], [false], [0]),
            new Row(1, [-1, -1, -1], [1, 1, 1], [-1, -1, -1], [false, false, false], [0, 0, 0]));
        var rewards = tensor(new float[] { 1, 0, 1.2f, 1 });
        var advantages = new GrpoAdvantage(new GrpoOptions()).Compute(rewards, 2);
        var m = BatchDiagnostics.Compute(batch, rewards, advantages);
        Assert.Equal(0.0, m["frac_reward_zero_std"]);
        Assert.Equal(0.5, m["ispo/frac_outcome_zero_std"]);
        Assert.Equal(1.0, m["ispo/useful_rollout_frac"]);
        Assert.Equal(0.75, m["rewards/outcome/mean"], 6);
        Assert.Equal(3.2 / 4, m["reward"], 6);
        Assert.Equal((Math.Sqrt(0.5) + Math.Sqrt(0.02)) / 2, m["reward_std"], 5);
        Assert.Equal(7.0 / 4, m["completions/mean_length"], 6);
        Assert.Equal(7.0, m["num_tokens"]);
        Assert.Equal(0.25, m["completions/clipped_ratio"]);
        Assert.Equal(8.0 / 7, m["entropy"], 5);
        Assert.Equal((1.5 + 1 + 1) / 3, m["ispo/high_entropy/correct"], 6);  // one top token per rollout: ⌈0.1·n⌉ = 1
        Assert.Equal(2.0, m["ispo/high_entropy/incorrect"], 6);
        Assert.False(m.ContainsKey("ispo/critical_frac"));
        var allEqual = BatchDiagnostics.Compute(batch, batch.OutcomeRewards, new GrpoAdvantage(new GrpoOptions()).Compute(batch.OutcomeRewards, 2));
        Assert.Equal(0.5, allEqual["ispo/useful_rollout_frac"]);
    }
}
