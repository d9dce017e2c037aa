namespace Ispo.Algorithms.Tests;

public class IspoMetricsTests
{
    [Fact]
    public void SplitsByOutcome()
    {
        // two correct rows and one incorrect, hand-sized: entropies 1, 2 (and 0.1, 0.2), all tokens drift, k = 0.5
        Row c1 = new(1, [-0.1, -0.2], [1, 2], [-1, -1], [false, true], [0, -0.4]);     // 𝒜 = {1}, IFD = 0.2
        Row c2 = new(1, [-0.3, -0.1], [2, 1], [-1, -1], [false, true], [0, -0.7]);     // 𝒜 = {0}, IFD = 0.6
        Row w = new(0, [-0.5, -0.5], [0.1, 0.2], [-1, -1], [false, false], [0, 0]);   // 𝒜 = {1}, IFD = 0
        var batch = Batches.From(1, c1, c2, w);
        var m = IspoMetrics.From(batch, IspoSignals.Compute(batch, new IspoOptions { TopK = 0.5 }));
        Assert.Equal(3.0 / 6, m["ispo/critical_frac"], 6);
        Assert.Equal(1.0, m["ispo/drift_set_frac"], 6);
        Assert.Equal(1.0 / 3, m["ispo/no_answer_frac"], 6);
        Assert.Equal(0.4, m["ispo/ifd/correct_mean"], 5);
        Assert.Equal(Math.Sqrt(0.08), m["ispo/ifd/correct_std"], 5);
        Assert.Equal(0.0, m["ispo/ifd/incorrect_std"]);
        Assert.Equal(2.0, m["ispo/critical_entropy/correct"], 6);
        Assert.Equal(0.2, m["ispo/critical_entropy/incorrect"], 6);
        Assert.Equal((-0.2 - 0.3) / 2, m["ispo/token_reward/correct_mean"], 5);
        Assert.Equal(0.2 - 0.1, m["ispo/token_reward/incorrect_mean"], 5);             // α·H − β·(τ_H − H)
    }

    [Fact]
    public void A_set_the_batch_cannot_measure_is_absent_not_zero()
    {
        // C = 𝒜 needs no base pass: without base log-probs C_Δ is not measured
        Row c = new(1, [-0.1, -0.2], [1, 2], [-1, -1], [false, true], [0, -0.4]), w = new(0, [-0.5, -0.5], [0.1, 0.2], [-1, -1], [false, false], [0, 0]);
        var batch = Batches.From(1, c, w) with { BaseLogProbs = null };
        var m = IspoMetrics.From(batch, IspoSignals.Compute(batch, new IspoOptions { TopK = 0.5, CriticalSet = CriticalSet.Entropy }));
        Assert.False(m.ContainsKey("ispo/drift_set_frac"));
        Assert.Equal(2.0 / 4, m["ispo/entropy_set_frac"], 6);
        Assert.Equal(2.0 / 4, m["ispo/critical_frac"], 6);
    }
}
