using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms.Tests;

public class IspoSignalsTests
{
    // Hand case, n = 10. Entropy ranking: 2.0 (t=1), 2.0 (t=3), 1.5 (t=5), ...; drift log π − log π0 ≥ 0.3 at t = 0, 1, 4, 5.
    // With k = 0.3: 𝒜 = {1,3,5}, C_Δ = {0,1,4,5}, C = {1,5}. Answer t = 8, 9 with ablated log-probs −1.5, −0.6 → IFD = 0.5.
    static readonly double[] H = [0.1, 2.0, 0.5, 2.0, 0.05, 1.5, 0.2, 0.3, 0.4, 0.6];
    static readonly double[] Lp = [-0.1, -0.5, -1.0, -0.2, -0.3, -0.4, -0.05, -2.0, -0.5, -0.6];
    static readonly double[] Base = [-0.5, -1.0, -1.1, -0.3, -0.9, -0.8, -0.05, -2.0, -0.5, -0.6];
    static readonly bool[] Answer = [false, false, false, false, false, false, false, false, true, true];
    static readonly double[] Ablated = [0, 0, 0, 0, 0, 0, 0, 0, -1.5, -0.6];
    static readonly IspoOptions K30 = new() { TopK = 0.3 };

    static Row HandRow(double outcome) => new(outcome, Lp, H, Base, Answer, Ablated);

    static IspoSignalResult Run(IspoOptions options, params Row[] rows) => IspoSignals.Compute(Batches.From(rows.Length, rows), options);

    static int[] Indices(Tensor row) => Enumerable.Range(0, (int)row.shape[0]).Where(i => row[i].item<bool>()).ToArray();

    [Fact]
    public void HandComputedCorrectAndIncorrectRollouts()
    {
        var s = Run(K30, HandRow(1), HandRow(0));
        Assert.Equal([1, 3, 5], Indices(s.EntropySet[0]));
        Assert.Equal([0, 1, 4, 5], Indices(s.DriftSet[0]));
        Assert.Equal([1, 5], Indices(s.Critical[0]));
        Assert.Equal([0.5, 0.5], Batches.Values(s.Ifd), (x, y) => Math.Abs(x - y) < 1e-6);
        // correct: mean log π over C = (−0.5 − 0.4)/2; incorrect: mean α·H − β·(τ_H − H)⁺ = (2.0 + 1.5)/2
        Assert.Equal([-0.45, 1.75], Batches.Values(s.TokenReward), (x, y) => Math.Abs(x - y) < 1e-6);
        // R = R_o + λ1·(2R_o − 1)·IFD + λ2·R_token
        Assert.Equal([1 + 0.25 - 0.045, -0.25 + 0.175], Batches.Values(s.Reward), (x, y) => Math.Abs(x - y) < 1e-6);
    }

    [Theory]
    [InlineData(CriticalSet.Entropy, new[] { 1, 3, 5 }, (2.0 + 2.0 + 1.5) / 3)]
    [InlineData(CriticalSet.Drift, new[] { 0, 1, 4, 5 }, (-0.1 + 2.0 - 0.2 + 1.5) / 4)]    // hinge: 0.1 − (0.3 − 0.1), 0.05 − (0.3 − 0.05)
    [InlineData(CriticalSet.Union, new[] { 0, 1, 3, 4, 5 }, (-0.1 + 2.0 + 2.0 - 0.2 + 1.5) / 5)]
    public void CriticalSetAblations(CriticalSet set, int[] expected, double incorrectTokenReward)
    {
        var s = Run(K30 with { CriticalSet = set }, HandRow(0));
        Assert.Equal(expected, Indices(s.Critical[0]));
        Assert.Equal(incorrectTokenReward, s.TokenReward[0].item<float>(), 5);
    }

    [Fact]
    public void BetaZeroRemovesTheHinge()
    {
        var s = Run(K30 with { CriticalSet = CriticalSet.Drift, Beta = 0 }, HandRow(0));
        Assert.Equal((0.1 + 2.0 + 0.05 + 1.5) / 4, s.TokenReward[0].item<float>(), 5);
    }

    [Fact]
    public void SymmetricUsesTheSharpenFormForIncorrectRollouts()
    {
        var s = Run(K30 with { Symmetric = true }, HandRow(0));
        Assert.Equal(-0.45, s.TokenReward[0].item<float>(), 5);
        Assert.Equal(-0.25 - 0.045, s.Reward[0].item<float>(), 5);
    }

    [Fact]
    public void EntropyTiesGoToTheEarlierPosition()
    {
        var s = Run(new IspoOptions { TopK = 0.1 }, HandRow(1));   // ⌈0.1·10⌉ = 1 of the two 2.0s
        Assert.Equal([1], Indices(s.EntropySet[0]));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(0.15)]
    [InlineData(0.5)]
    [InlineData(1.0)]
    public void TopEntropySetWithHeavyTiesMatchesAStableSort(double topK)
    {
        var rng = new Random(31);
        Row[] rows = Batches.RandomRows(rng, 40, 25).Select(r => r with { Entropies = r.Entropies.Select(_ => (double)rng.Next(3)).ToArray() }).ToArray();
        GroupedBatch batch = Batches.From(4, rows);
        Tensor set = IspoSignals.TopEntropySet(batch.Entropies!, batch.ResponseMask > 0.5, topK);
        for (int i = 0; i < rows.Length; i++)
        {
            bool[] expected = Reference.Ispo(rows[i], new IspoOptions { TopK = topK }).EntropySet;
            Assert.Equal(expected, Enumerable.Range(0, expected.Length).Select(t => set[i, t].item<bool>()).ToArray());
        }
        Assert.Equal(0, set.logical_and(batch.ResponseMask < 0.5).sum().item<long>());
    }

    [Fact]
    public void CountIsRoundedToNineDecimalsBeforeTheCeiling()
    {
        int n = 30;                                                  // 0.1·30 = 3.0000000000000004 in binary
        double[] h = Enumerable.Range(0, n).Select(i => (double)i).ToArray();
        var row = new Row(1, new double[n], h, new double[n], new bool[n], new double[n]);
        Assert.Equal(3, Run(new IspoOptions(), row).EntropySet.sum().item<long>());
    }

    [Fact]
    public void EmptyCriticalSetAndEmptyAnswerGiveZero()
    {
        var row = HandRow(1) with { BaseLogProbs = Lp, Answer = new bool[10] };   // no drift, no answer
        var s = Run(new IspoOptions(), row);
        Assert.Equal(0, s.Critical.sum().item<long>());
        Assert.Equal(0f, s.TokenReward[0].item<float>());
        Assert.Equal(0f, s.Ifd[0].item<float>());
        Assert.Equal(1f, s.Reward[0].item<float>());
    }

    // Rows of two tokens whose second is the answer: IFD = log p(a | Q,T) − log p(a | Q) = lp[1] − (−0.7).
    static Row Answered(double outcome, double answerLogProb) =>
        new(outcome, [-1, answerLogProb], [1, 1], [-1, -1], [false, true], [0, -0.7]);
    static Row Unanswered(double outcome = 0, bool truncated = false) =>
        new(outcome, [-1, -1], [1, 1], [-1, -1], [false, false], [0, 0], truncated);
    static readonly IspoOptions IfdOnly = new() { Lambda2 = 0 };

    [Fact]
    public void WorstAnsweredGivesAnUnansweredRolloutItsGroupsWorstAnsweredIncorrectIfd()
    {
        // group 0: correct IFD 0.5, incorrect IFDs 0.3 and −0.2 → max 0.3; group 1: incorrect IFDs −0.1, −0.2 → max −0.1, clamped to 0
        var s = IspoSignals.Compute(Batches.From(4, Answered(1, -0.2), Answered(0, -0.4), Answered(0, -0.9), Unanswered(),
                                                Answered(1, -0.2), Answered(0, -0.8), Answered(0, -0.9), Unanswered()), IfdOnly);
        Assert.Equal([0.5, 0.3, -0.2, 0.3, 0.5, -0.1, -0.2, 0], Batches.Values(s.Ifd), (x, y) => Math.Abs(x - y) < 1e-6);
        // R = R_o + λ1·(2R_o − 1)·IFD for answered rows, R_o − λ1·IFD for the unanswered ones
        Assert.Equal([1.25, -0.15, 0.1, -0.15, 1.25, 0.05, 0.1, 0], Batches.Values(s.Reward), (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal([true, true, true, false, true, true, true, false], s.Answered.data<bool>().ToArray());
    }

    [Fact]
    public void WorstAnsweredIsZeroWhenTheGroupHasNoAnsweredIncorrectRollout()
    {
        // the correct rollout's IFD (0.5) and the other unanswered one do not count
        var s = IspoSignals.Compute(Batches.From(3, Answered(1, -0.2), Unanswered(), Unanswered()), IfdOnly);
        Assert.Equal([0.5, 0, 0], Batches.Values(s.Ifd), (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal([1.25, 0, 0], Batches.Values(s.Reward), (x, y) => Math.Abs(x - y) < 1e-6);
    }

    [Fact]
    public void ATruncatedRolloutWithoutAnAnswerFollowsTheRule()
    {
        var s = IspoSignals.Compute(Batches.From(3, Answered(1, -0.2), Answered(0, -0.5), Unanswered(truncated: true)), IfdOnly);
        Assert.Equal(0.2, s.Ifd[2].item<float>(), 6);
        Assert.Equal(-0.1, s.Reward[2].item<float>(), 6);
    }

    [Fact]
    public void ZeroIfdKeepsTheLiteralReading()
    {
        var s = IspoSignals.Compute(Batches.From(4, Answered(1, -0.2), Answered(0, -0.4), Answered(0, -0.9), Unanswered()),
                                    IfdOnly with { NoAnswer = NoAnswer.ZeroIfd });
        Assert.Equal([0.5, 0.3, -0.2, 0], Batches.Values(s.Ifd), (x, y) => Math.Abs(x - y) < 1e-6);
        Assert.Equal(0f, s.Reward[3].item<float>());
    }

    [Fact]
    public void AnUnansweredRolloutGetsTheIncorrectTokenReward()
    {
        // the hand row without its answer, scored 1 by a (faulty) caller: C = {1, 5}; sharpen −0.45, suppress 1.75
        var row = HandRow(1) with { Answer = new bool[10] };
        var worst = Run(K30, row);
        Assert.Equal(1.75, worst.TokenReward[0].item<float>(), 5);
        Assert.Equal(1 + 0.1 * 1.75, worst.Reward[0].item<float>(), 5);            // IFD term −λ1·0
        var literal = Run(K30 with { NoAnswer = NoAnswer.ZeroIfd }, row);
        Assert.Equal(-0.45, literal.TokenReward[0].item<float>(), 5);
        Assert.Equal(1 - 0.045, literal.Reward[0].item<float>(), 5);
    }

    [Fact]
    public void PaddingIsIgnored()
    {
        Row shortRow = new(0, [-0.2, -1.0, -0.1], [0.05, 0.2, 0.1], [-1.0, -1.5, -0.9], [false, true, true], [0, -2, -0.4]);
        var alone = Run(K30, shortRow);
        var padded = IspoSignals.Compute(Batches.From(2, shortRow, HandRow(1)), K30);   // padded to 10 with a large filler
        Assert.Equal(Indices(alone.Critical[0]), Indices(padded.Critical[0]));
        Assert.Equal(alone.Reward[0].item<float>(), padded.Reward[0].item<float>());
        Assert.Equal(alone.Ifd[0].item<float>(), padded.Ifd[0].item<float>());
    }

    [Theory]
    [InlineData(CriticalSet.Intersection, false, 0.1, NoAnswer.WorstAnswered)]
    [InlineData(CriticalSet.Union, false, 0.25, NoAnswer.WorstAnswered)]
    [InlineData(CriticalSet.Entropy, true, 0.5, NoAnswer.ZeroIfd)]
    [InlineData(CriticalSet.Drift, false, 1.0, NoAnswer.ZeroIfd)]
    public void MatchesTheLoopReference(CriticalSet set, bool symmetric, double topK, NoAnswer noAnswer)
    {
        var options = new IspoOptions { CriticalSet = set, Symmetric = symmetric, TopK = topK, NoAnswer = noAnswer };
        Row[] rows = Batches.RandomRows(new Random(13), 64, 40);
        Assert.Contains(rows, r => !r.Answer.Any(a => a));                   // the no-answer rule is exercised
        var s = IspoSignals.Compute(Batches.From(8, rows), options);
        Row[] asFloat = rows.Select(r => r with { LogProbs = F(r.LogProbs), Entropies = F(r.Entropies), BaseLogProbs = F(r.BaseLogProbs), Ablated = F(r.Ablated) }).ToArray();
        Reference.Signals[] expectedRows = Reference.Ispo(asFloat, 8, options);
        for (int i = 0; i < rows.Length; i++)
        {
            var expected = expectedRows[i];
            int n = rows[i].LogProbs.Length;
            Assert.Equal(expected.Critical, Enumerable.Range(0, n).Select(t => s.Critical[i, t].item<bool>()).ToArray());
            Assert.Equal(expected.EntropySet, Enumerable.Range(0, n).Select(t => s.EntropySet[i, t].item<bool>()).ToArray());
            Near.Equal(expected.Ifd, s.Ifd[i].item<float>());
            Near.Equal(expected.TokenReward, s.TokenReward[i].item<float>());
            Near.Equal(expected.Reward, s.Reward[i].item<float>());
        }
    }

    [Fact]
    public void Float64BatchesStayFloat64()
    {
        GroupedBatch f32 = Batches.From(4, Batches.RandomRows(new Random(29), 8, 10));
        GroupedBatch f64 = f32 with
        {
            ResponseMask = f32.ResponseMask.to(ScalarType.Float64), OldLogProbs = f32.OldLogProbs.to(ScalarType.Float64),
            Entropies = f32.Entropies!.to(ScalarType.Float64), BaseLogProbs = f32.BaseLogProbs!.to(ScalarType.Float64),
            AnswerMask = f32.AnswerMask!.to(ScalarType.Float64), AblatedAnswerLogProbs = f32.AblatedAnswerLogProbs!.to(ScalarType.Float64),
        };
        var s64 = IspoSignals.Compute(f64, new IspoOptions());
        Assert.Equal(ScalarType.Float64, s64.Reward.dtype);
        Assert.Equal(ScalarType.Float64, new GrpoAdvantage(new GrpoOptions()).Compute(s64.Reward, 4).dtype);
        Assert.True(s64.Reward.to(ScalarType.Float32).allclose(IspoSignals.Compute(f32, new IspoOptions()).Reward, 1e-5, 1e-6));
    }

    static double[] F(double[] x) => x.Select(v => (double)(float)v).ToArray();

    [Fact]
    public void ZeroLambdasReproduceGrpoExactly()
    {
        Row[] rows = Batches.RandomRows(new Random(17), 48, 30);
        GroupedBatch batch = Batches.From(8, rows);
        var s = IspoSignals.Compute(batch, new IspoOptions { Lambda1 = 0, Lambda2 = 0 });
        Assert.True(s.Reward.equal(batch.OutcomeRewards).all().item<bool>());
        var grpo = new GrpoAdvantage(new GrpoOptions());
        Assert.True(grpo.Compute(s.Reward, 8).equal(grpo.Compute(batch.OutcomeRewards, 8)).all().item<bool>());
    }

    /// <summary>
    /// Claim. In a group with binary outcomes, let c be a correct and w an incorrect rollout, and
    ///   Δ(c, w) = λ1·(IFD_c⁻ + IFD_w⁻) + λ2·(R_token,w − R_token,c)⁺,   x⁻ = max(0, −x), x⁺ = max(0, x).
    /// If Δ(c, w) &lt; 1 then Â_c &gt; Â_w under GRPO (and Dr. GRPO, RLOO). Proof: R_c − R_w = 1 + λ1·(IFD_c + IFD_w)
    /// + λ2·(R_token,c − R_token,w) ≥ 1 − Δ(c, w) &gt; 0, and each estimator is strictly increasing in R within a group
    /// (Â = (R − mean)/(std + ε) with std + ε &gt; 0; RLOO = G/(G−1)·(R − mean)). Corollary: if every |IFD| ≤ M and
    /// the group's token rewards lie in an interval of width S, 2·λ1·M + λ2·S &lt; 1 suffices; with the defaults
    /// (λ1 = 0.5, λ2 = 0.1) that is M + 0.1·S &lt; 1, e.g. |IFD| &lt; 0.5 nats/token and S &lt; 5. The bound is tight:
    /// at Δ &gt; 1 the order can flip (checked below). An unanswered rollout (scored R_o = 0 by any verifier) under
    /// worst_answered has IFD ≥ 0 with the incorrect sign, so IFD_w⁻ = 0 and the claim holds for it too.
    /// </summary>
    [Fact]
    public void MixedGroupsKeepCorrectAboveIncorrectWithinTheBound()
    {
        var rng = new Random(19);
        int g = 8, checkedPairs = 0;
        foreach (var estimator in new IAdvantageEstimator[] { new GrpoAdvantage(new GrpoOptions()), new DrGrpoAdvantage(new DrGrpoOptions()), new RlooAdvantage(new RlooOptions()) })
        {
            for (int trial = 0; trial < 20; trial++)
            {
                Row[] rows = Batches.RandomRows(rng, g, 30).Select(r => r.Answer.Any(a => a) ? r : r with { Outcome = 0 }).ToArray();
                rows[0] = rows[0] with { Outcome = 1, Answer = rows[0].Answer.Select((a, t) => a || t == rows[0].Answer.Length - 1).ToArray() };
                rows[1] = rows[1] with { Outcome = 0 };
                var options = new IspoOptions { CriticalSet = CriticalSet.Union };
                var batch = Batches.From(g, rows);
                var s = IspoSignals.Compute(batch, options);
                double[] ifd = Batches.Values(s.Ifd), tr = Batches.Values(s.TokenReward), adv = Batches.Values(estimator.Compute(s.Reward, g));
                for (int c = 0; c < g; c++)
                for (int w = 0; w < g; w++)
                {
                    if (rows[c].Outcome != 1 || rows[w].Outcome != 0) continue;
                    double delta = options.Lambda1 * (Math.Max(0, -ifd[c]) + Math.Max(0, -ifd[w])) + options.Lambda2 * Math.Max(0, tr[w] - tr[c]);
                    if (delta >= 1) continue;
                    Assert.True(adv[c] > adv[w], $"Δ = {delta} < 1 but Â_c = {adv[c]} ≤ Â_w = {adv[w]}");
                    checkedPairs++;
                }
            }
        }
        Assert.True(checkedPairs > 300, $"only {checkedPairs} pairs were inside the bound");

        // Beyond the bound: the correct rollout's IFD is −2.2 (thinking hurt its answer), Δ = 0.5·2.2 = 1.1 > 1, order flips.
        Row correct = new(1, [-1, -1], [1, 1], [-1, -1], [false, true], [0, 1.2]);
        Row wrong = new(0, [-1, -1], [1, 1], [-1, -1], [false, true], [0, -1]);
        var flipped = IspoSignals.Compute(Batches.From(2, correct, wrong), new IspoOptions());
        double[] a = Batches.Values(new GrpoAdvantage(new GrpoOptions()).Compute(flipped.Reward, 2));
        Assert.True(a[0] < a[1]);
    }
}
