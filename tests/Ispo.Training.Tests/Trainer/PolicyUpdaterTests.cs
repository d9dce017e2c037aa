using Ispo.Algorithms;
using Ispo.Models;
using Ispo.Training.Rollouts;
using Ispo.Training.Trainer;
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Training.Tests.Trainer;

/// <summary>Gradient accumulation is exact: one step over micro-batches (equal rows, or packed by a token budget) moves
/// the parameters as one step over the whole mini-batch, under every loss aggregation.</summary>
public class PolicyUpdaterTests
{
    const int MaxNewTokens = 12;

    /// <summary>Six rollouts of 1 to 12 response tokens after prompts of 2 to 5 tokens; the fifth is truncated.</summary>
    static List<Rollout> Rollouts()
    {
        var random = new Random(5);
        int[] lengths = [12, 3, 7, 1, 12, 5];
        return lengths.Select((n, i) => new Rollout
        {
            Group = i / 2,
            PromptTokens = Enumerable.Range(0, 2 + i % 4).Select(_ => random.Next(2, 40)).ToArray(),
            ResponseTokens = Enumerable.Range(0, n).Select(_ => random.Next(2, 40)).ToArray(),
            OldLogProbs = Enumerable.Range(0, n).Select(_ => (float)(-3.7 + 0.3 * random.NextDouble())).ToArray(),
            Entropies = new float[n],
            Completion = "",
            Outcome = i % 2,
            Truncated = i == 4,
        }).ToList();
    }

    /// <summary>The parameters' change after one SGD step (an exact image of the accumulated gradient).</summary>
    static Dictionary<string, Tensor> StepDelta(IPolicyLoss loss, UpdateOptions options)
    {
        using CausalLM policy = RlTrainerTests.TinyModel();
        var before = policy.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using RolloutBatch batch = RolloutBatch.Build(Rollouts(), groupSize: 2, padTokenId: 0, BatchInputs.None);
        using Tensor advantages = tensor(new[] { 1.0f, -0.5f, 0.25f, -1.0f, 0.75f, -0.25f });
        using var sgd = optim.SGD(policy.parameters(), 0.1);
        UpdateResult result = PolicyUpdater.Update(policy, sgd, batch, advantages, loss, options, new Random(3));
        Assert.Equal(1, result.OptimizerSteps);
        return policy.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach() - before[p.name]);
    }

    static UpdateOptions Options(int accumulation = 1, int? tokens = null) =>
        new(Epochs: 1, MiniBatchSize: 6, GradAccumulation: accumulation, GradClip: 0, MicroBatchTokens: tokens);

    public static TheoryData<LossAggregation, int> Modes() => new()
    {
        { LossAggregation.TokenMean, MaxNewTokens },
        { LossAggregation.SeqMeanTokenMean, MaxNewTokens },
        { LossAggregation.SeqMeanTokenSum, MaxNewTokens },
        { LossAggregation.SeqMeanTokenSumNorm, MaxNewTokens },
        { LossAggregation.SeqMeanTokenSumNorm, 0 },   // L_norm = the batch width, which a trimmed micro-batch changes
    };

    [Theory]
    [MemberData(nameof(Modes))]
    public void MicroBatchesByRowsOrTokensGiveTheFullBatchUpdate(LossAggregation mode, int maxNewTokens)
    {
        var loss = new ClippedSurrogateLoss(new PolicyLossOptions { Aggregation = mode, MaskTruncated = true, DualClip = 0 },
            new ComponentContext(2, maxNewTokens));
        Dictionary<string, Tensor> full = StepDelta(loss, Options());
        foreach (UpdateOptions split in new[] { Options(accumulation: 4), Options(tokens: 20), Options(tokens: 1) })
        {
            Dictionary<string, Tensor> delta = StepDelta(loss, split);
            foreach (var (name, reference) in full)
            {
                double scale = reference.norm().item<float>(), error = (delta[name] - reference).norm().item<float>();
                Assert.True(scale > 0, $"{name} did not move");
                Assert.True(error <= 1e-5 * scale, $"{mode} {split}: {name} differs by {error / scale:E2} of its update");
            }
        }
    }

    [Fact]
    public void PackingSortsLongestFirstAndKeepsPaddedTokensWithinTheBudget()
    {
        int[] lengths = [12, 3, 7, 1, 12, 5];
        IReadOnlyList<int[]> micros = PolicyUpdater.PackByTokens([5, 0, 3, 1, 4, 2], lengths, promptWidth: 5, budget: 34);
        // widths 5 + 12 = 17: two rows of 17 = 34; then 5 + 7 = 12: rows of 7, 5, 3 (36 > 34, so two); then 3 and 1 at 8
        Assert.Equal([[0, 4], [2, 5], [1, 3]], micros);
        Assert.All(micros, m => Assert.True(m.Length * (5 + m.Max(r => lengths[r])) <= 34));
    }

    [Fact]
    public void ARowLongerThanTheBudgetIsAMicroBatchOfItsOwn()
    {
        IReadOnlyList<int[]> micros = PolicyUpdater.PackByTokens([0, 1, 2], [12, 12, 2], promptWidth: 4, budget: 10);
        Assert.Equal([[0], [1], [2]], micros);
    }

    [Fact]
    public void TheNormaliserOfEachAggregationIsAdditiveOverRows()
    {
        using Tensor mask = tensor(new float[] { 1, 1, 0, 0, 0, 0, 1, 0, 0 }, [3, 3]);
        Assert.Equal(3, LossAggregator.Normaliser(mask, LossAggregation.TokenMean));
        Assert.Equal(2, LossAggregator.Normaliser(mask, LossAggregation.SeqMeanTokenMean));
        Assert.Equal(2, LossAggregator.Normaliser(mask, LossAggregation.SeqMeanTokenSum));
        Assert.Equal(3 * 8, LossAggregator.Normaliser(mask, LossAggregation.SeqMeanTokenSumNorm, 8));
        Assert.Equal(3 * 3, LossAggregator.Normaliser(mask, LossAggregation.SeqMeanTokenSumNorm));
    }
}
