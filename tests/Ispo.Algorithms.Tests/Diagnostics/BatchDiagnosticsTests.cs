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

    // Groups of very different lengths (1–4 tokens beside 200–400), as float64 like `ispo signals`.
    static Row[][] RaggedGroups(int seed, int prompts = 6, int g = 4)
    {
        var rng = new Random(seed);
        return Enumerable.Range(0, prompts).Select(p => Batches.RandomRows(rng, g, p % 3 == 1 ? 400 : 4)).ToArray();
    }

    static GroupedBatch Float64(GroupedBatch b) => b with
    {
        ResponseMask = b.ResponseMask.to(ScalarType.Float64), OutcomeRewards = b.OutcomeRewards.to(ScalarType.Float64),
        OldLogProbs = b.OldLogProbs.to(ScalarType.Float64), Entropies = b.Entropies!.to(ScalarType.Float64),
        BaseLogProbs = b.BaseLogProbs!.to(ScalarType.Float64), AnswerMask = b.AnswerMask!.to(ScalarType.Float64),
        AblatedAnswerLogProbs = b.AblatedAnswerLogProbs!.to(ScalarType.Float64),
    };

    static (MetricPartials Partials, IspoSignalResult Signals, Tensor Advantages) Measure(GroupedBatch batch)
    {
        IspoSignalResult signals = IspoSignals.Compute(batch, new IspoOptions { TopK = 0.2 });
        Tensor advantages = new GrpoAdvantage(new GrpoOptions()).Compute(batch, signals.Reward);
        return (BatchDiagnostics.Partials(batch, signals.Reward, advantages, signals), signals, advantages);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void OnePartIsTheWholeBatchFormulasToTheLastBit(int seed)
    {
        foreach (GroupedBatch batch in new[] { Batches.From(4, RaggedGroups(seed).SelectMany(x => x).ToArray()) }.Select(b => new[] { b, Float64(b) }).SelectMany(x => x))
        {
            var (partials, signals, advantages) = Measure(batch);
            MetricsBag expected = WholeBatchMetrics.Compute(batch, signals.Reward, advantages, signals), actual = partials.ToMetrics();
            Assert.Equal(expected.Keys, actual.Keys);
            foreach (var (name, value) in expected) Assert.True(value == actual[name], $"{name}: {value} != {actual[name]}");
            Assert.Equal(expected, BatchDiagnostics.Compute(batch, signals.Reward, advantages, signals));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void GroupsMeasuredApartEachPaddedToItsOwnLongestMergeToTheWholeBatch(int seed)
    {
        Row[][] groups = RaggedGroups(seed);
        GroupedBatch whole = Float64(Batches.From(4, groups.SelectMany(x => x).ToArray()));
        var (wholePartials, wholeSignals, wholeAdvantages) = Measure(whole);
        var merged = new MetricPartials();
        var perRow = new List<double>();
        foreach (Row[] group in groups)
        {
            GroupedBatch own = Float64(Batches.From(4, group));
            Assert.Equal(group.Max(r => r.LogProbs.Length), own.Time);
            var (partials, signals, advantages) = Measure(own);
            merged.Merge(partials);
            perRow.AddRange(Batches.Values(signals.Reward).Concat(Batches.Values(advantages)));
        }
        Assert.True(whole.Time > 100 && groups.Any(g => g.Max(r => r.LogProbs.Length) <= 4));  // the case is ragged
        double[] wholeRows = Enumerable.Range(0, groups.Length).SelectMany(p =>
            Batches.Values(wholeSignals.Reward).Skip(4 * p).Take(4).Concat(Batches.Values(wholeAdvantages).Skip(4 * p).Take(4))).ToArray();
        Assert.Equal(wholeRows, perRow, (x, y) => Math.Abs(x - y) <= 1e-12 * Math.Max(1, Math.Abs(x)));
        MetricsBag expected = WholeBatchMetrics.Compute(whole, wholeSignals.Reward, wholeAdvantages, wholeSignals), actual = merged.ToMetrics();
        Assert.Equal(expected.Keys, actual.Keys);
        foreach (var (name, value) in expected)
            Assert.True(Math.Abs(value - actual[name]) <= 1e-12 * Math.Max(1, Math.Abs(value)), $"{name}: {value} vs {actual[name]}");
        Assert.Equal(wholePartials.ToMetrics(), expected);
    }
}
