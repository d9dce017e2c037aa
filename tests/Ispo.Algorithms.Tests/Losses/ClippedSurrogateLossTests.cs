using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms.Tests;

public class ClippedSurrogateLossTests
{
    // Row 0 (Â = +1): ratios 1.5 (clipped high), 0.9 (inside), 0.5 (below 1 − ε_low: pessimistic side, not clipped).
    // Row 1 (Â = −1): ratios 4 (dual-clipped at c = 3), 0.5 (clipped low), 1.5 (above 1 + ε_high: not clipped).
    static readonly double[,] Ratios = { { 1.5, 0.9, 0.5 }, { 4, 0.5, 1.5 } };
    static readonly float[] Advantages = [1, -1];

    static (GroupedBatch batch, Tensor logp) Case()
    {
        var logp = tensor(new float[,] { { MathF.Log(1.5f), MathF.Log(0.9f), MathF.Log(0.5f) }, { MathF.Log(4), MathF.Log(0.5f), MathF.Log(1.5f) } }, requires_grad: true);
        var batch = new GroupedBatch
        {
            GroupSize = 2,
            ResponseMask = ones(2, 3),
            OutcomeRewards = tensor(new float[] { 1, 0 }),
            OldLogProbs = zeros(2, 3),
        };
        return (batch, logp);
    }

    [Fact]
    public void HandComputedLossAndClipFractions()
    {
        var (batch, logp) = Case();
        var result = new ClippedSurrogateLoss(new PolicyLossOptions()).Compute(new PolicyEvaluation(logp), tensor(Advantages), batch);
        // per token: −1.28, −0.9, −0.5 | 3 (dual), 0.8, 1.5
        Assert.Equal((-1.28 - 0.9 - 0.5 + 3 + 0.8 + 1.5) / 6, result.Loss.item<float>(), 5);
        Assert.Equal(1.0 / 6, result.Metrics["clip_ratio/low_mean"], 6);
        Assert.Equal(1.0 / 6, result.Metrics["clip_ratio/high_mean"], 6);
        Assert.Equal(2.0 / 6, result.Metrics["clip_ratio/region_mean"], 6);
        Assert.Equal(1.0 / 6, result.Metrics["clip_ratio/dual_mean"], 6);
    }

    [Fact]
    public void GradientHasTheRightSignAndVanishesWhereClipped()
    {
        var (batch, logp) = Case();
        new ClippedSurrogateLoss(new PolicyLossOptions()).Compute(new PolicyEvaluation(logp), tensor(Advantages), batch).Loss.backward();
        double[] grad = Batches.Values(logp.grad!);
        // d(−Â·r)/d log π = −Â·r, over 6 tokens; zero where clipped or dual-clipped
        double[] expected = [0, -0.9 / 6, -0.5 / 6, 0, 0, 1.5 / 6];
        Assert.Equal(expected, grad, (x, y) => Math.Abs(x - y) < 1e-6);
    }

    [Fact]
    public void WithoutDualClipTheLargeNegativeRatioKeepsItsGradient()
    {
        var (batch, logp) = Case();
        new ClippedSurrogateLoss(new PolicyLossOptions { DualClip = 0 }).Compute(new PolicyEvaluation(logp), tensor(Advantages), batch).Loss.backward();
        Assert.Equal(4.0 / 6, Batches.Values(logp.grad!)[3], 6);
    }

    [Fact]
    public void KlAndEntropyTermsAreAdded()
    {
        var (batch, logp) = Case();
        batch = batch with { BaseLogProbs = logp.detach() - 0.5f };
        var options = new PolicyLossOptions { KlCoef = 0.1, KlEstimator = KlEstimator.K1, EntropyCoef = 0.01 };
        var loss = new ClippedSurrogateLoss(options);
        var result = loss.Compute(new PolicyEvaluation(logp, full(2, 3, 2f)), tensor(Advantages), batch);
        Assert.Equal(result.Metrics["loss/policy"] + 0.1 * 0.5 - 0.01 * 2, result.Loss.item<float>(), 5);
        Assert.Equal(0.5, result.Metrics["kl"], 5);
        Assert.Equal(BatchInputs.BaseLogProbs | BatchInputs.CurrentEntropies, loss.Needs);
    }

    [Fact]
    public void TruncatedRowsAreMaskedWhenAsked()
    {
        var (batch, logp) = Case();
        batch = batch with { Truncated = tensor(new[] { false, true }) };
        var result = new ClippedSurrogateLoss(new PolicyLossOptions { MaskTruncated = true }).Compute(new PolicyEvaluation(logp), tensor(Advantages), batch);
        Assert.Equal((-1.28 - 0.9 - 0.5) / 3, result.Loss.item<float>(), 5);
    }

    [Fact]
    public void MissingReferenceIsAClearError()
    {
        var (batch, logp) = Case();
        var error = Assert.Throws<ArgumentException>(() =>
            new ClippedSurrogateLoss(new PolicyLossOptions { KlCoef = 0.1 }).Compute(new PolicyEvaluation(logp), tensor(Advantages), batch));
        Assert.Contains("BaseLogProbs", error.Message);
    }

    [Fact]
    public void RejectsBadClipOptions()
    {
        Assert.Throws<ArgumentException>(() => new ClippedSurrogateLoss(new PolicyLossOptions { DualClip = 0.5 }));
        Assert.Throws<ArgumentException>(() => new ClippedSurrogateLoss(new PolicyLossOptions { ClipLow = 1 }));
    }

    [Theory]
    [InlineData(LossAggregation.TokenMean, false, false)]
    [InlineData(LossAggregation.SeqMeanTokenMean, false, false)]
    [InlineData(LossAggregation.SeqMeanTokenSum, false, false)]
    [InlineData(LossAggregation.SeqMeanTokenSumNorm, false, false)]
    [InlineData(LossAggregation.TokenMean, true, false)]
    [InlineData(LossAggregation.SeqMeanTokenMean, true, false)]
    [InlineData(LossAggregation.SeqMeanTokenSumNorm, true, false)]
    [InlineData(LossAggregation.TokenMean, false, true)]
    [InlineData(LossAggregation.SeqMeanTokenSumNorm, false, true)]
    [InlineData(LossAggregation.SeqMeanTokenMean, true, true)]
    public void MatchesTheLoopReference(LossAggregation aggregation, bool gspo, bool perToken)
    {
        var rng = new Random(gspo ? 5 : 9);
        Row[] rows = Batches.RandomRows(rng, 12, 9);
        double[][] logp = rows.Select(r => r.LogProbs.Select(x => x + 0.6 * (rng.NextDouble() - 0.5)).ToArray()).ToArray();
        double[][] adv = perToken                               // one per rollout, or one per token (ragged; padding ignored)
            ? rows.Select(r => r.LogProbs.Select(_ => (double)(float)(2 * rng.NextDouble() - 1)).ToArray()).ToArray()
            : rows.Select(r => Enumerable.Repeat((double)(float)(2 * rng.NextDouble() - 1), r.LogProbs.Length).ToArray()).ToArray();
        Tensor advantages = perToken
            ? Batches.From(4, rows.Select((r, i) => r with { LogProbs = adv[i] }).ToArray()).OldLogProbs   // [B,T], Filler on padding
            : tensor(adv.Select(a => (float)a[0]).ToArray());                                             // [B]
        PolicyLossOptions options = gspo
            ? new GspoLossOptions { Aggregation = aggregation, ClipLow = 0.05, ClipHigh = 0.08 }
            : new PolicyLossOptions { Aggregation = aggregation, DualClip = 1.2 };
        var context = new ComponentContext(MaxNewTokens: 11);   // L_norm of seq-mean-token-sum-norm
        IPolicyLoss loss = gspo ? new GspoLoss((GspoLossOptions)options, context) : new ClippedSurrogateLoss(options, context);
        GroupedBatch batch = Batches.From(4, rows);
        Tensor current = Batches.From(4, rows.Select((r, i) => r with { LogProbs = logp[i] }).ToArray()).OldLogProbs;
        double value = loss.Compute(new PolicyEvaluation(current), advantages, batch).Loss.item<float>();
        double expected = Reference.Surrogate(logp.Select(r => r.Select(x => (double)(float)x).ToArray()).ToArray(),
            rows.Select(r => r with { LogProbs = r.LogProbs.Select(x => (double)(float)x).ToArray() }).ToArray(),
            adv, options, gspo, normLength: 11);
        Near.Equal(expected, value);
    }
}
