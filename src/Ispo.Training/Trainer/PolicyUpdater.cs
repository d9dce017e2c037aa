// The update phase: μ epochs over the step's rollouts in shuffled mini-batches, each split into micro-batches
// whose gradients accumulate; then global-norm clipping and one AdamW step. A non-finite loss or gradient skips
// the optimizer step (the parameters stay as they were).
using Ispo.Algorithms;
using Ispo.Models;
using Ispo.Models.Runtime;
using Ispo.Models.Scoring;
using Ispo.Training.Rollouts;
using static TorchSharp.torch;

namespace Ispo.Training.Trainer;

/// <param name="Temperature">The policy's log-probs (and entropies) are of softmax(logits / Temperature): the rollouts'
/// sampling temperature, as in TRL and verl.</param>
public sealed record UpdateOptions(int Epochs, int MiniBatchSize, int GradAccumulation, double GradClip, double Temperature = 1.0);

public sealed record UpdateResult(MetricsBag Metrics, int OptimizerSteps, int SkippedNonFinite);

public static class PolicyUpdater
{
    public static UpdateResult Update(CausalLM policy, optim.Optimizer optimizer, RolloutBatch batch, Tensor advantages,
        IPolicyLoss loss, UpdateOptions options, Random shuffle)   // advantages: [B] or [B,T] float32
    {
        int rows = batch.Batch.Rows;
        var sums = new Dictionary<string, double>();
        int steps = 0, skipped = 0, lossTerms = 0;
        policy.train();
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            int[] order = Enumerable.Range(0, rows).OrderBy(_ => shuffle.Next()).ToArray();
            for (int start = 0; start < rows; start += options.MiniBatchSize)
            {
                int[] mini = order[start..Math.Min(rows, start + options.MiniBatchSize)];
                optimizer.zero_grad();
                bool finite = true;
                foreach (int[] micro in Split(mini, options.GradAccumulation))
                {
                    MetricsBag m = Backward(policy, batch, advantages, loss, micro, (double)micro.Length / mini.Length, options.Temperature);
                    finite &= double.IsFinite(m["loss"]);
                    foreach (var (k, v) in m) sums[k] = sums.GetValueOrDefault(k) + v * micro.Length / mini.Length;
                }
                lossTerms++;
                double norm = Optimizers.ClipGradNorm(policy, options.GradClip);
                sums["grad_norm"] = sums.GetValueOrDefault("grad_norm") + norm;
                if (finite && double.IsFinite(norm)) { optimizer.step(); steps++; }
                else { optimizer.zero_grad(); skipped++; }
            }
        }
        policy.eval();
        var metrics = new MetricsBag();
        foreach (var (k, v) in sums) metrics.Set(k, v / Math.Max(1, lossTerms));
        return new UpdateResult(metrics, steps, skipped);
    }

    /// <summary>Loss on one micro-batch, scaled by its share of the mini-batch, back-propagated; returns its metrics.</summary>
    static MetricsBag Backward(CausalLM policy, RolloutBatch batch, Tensor advantages, IPolicyLoss loss, int[] rows, double weight,
        double temperature)
    {
        using var scope = NewDisposeScope();
        Tensor index = tensor(rows.Select(r => (long)r).ToArray(), device: batch.InputIds.device);
        bool entropies = loss.Needs.HasFlag(BatchInputs.CurrentEntropies);
        using TokenScores scores = Scorer.Score(policy, batch.InputIds.index_select(0, index), batch.AttentionMask.index_select(0, index),
            batch.ScoredMask.index_select(0, index), new ScoreOptions { ComputeEntropy = entropies, Temperature = temperature }, withGrad: true);
        var current = new PolicyEvaluation(batch.ResponseColumns(scores.LogProbs), entropies ? batch.ResponseColumns(scores.Entropies!) : null);
        PolicyLossResult result = DeviceGuard.At($"policy loss {loss.GetType().Name}",
            () => loss.Compute(current, advantages.index_select(0, index), batch.Batch.SelectRows(index)));
        DeviceGuard.Expect(policy.Device, $"policy loss {loss.GetType().Name}", ("its loss", result.Loss));
        float value = result.Loss.item<float>();
        if (float.IsFinite(value)) (result.Loss * weight).backward();
        var metrics = new MetricsBag().Merge(result.Metrics);
        metrics.Set("loss", value);
        return metrics;
    }

    /// <summary>Rows per micro-batch when <paramref name="rows"/> rows are split into <paramref name="parts"/>.</summary>
    public static int MicroBatchRows(int rows, int parts) => (rows + parts - 1) / parts;

    static IEnumerable<int[]> Split(int[] rows, int parts)
    {
        int size = MicroBatchRows(rows.Length, parts);
        for (int start = 0; start < rows.Length; start += size) yield return rows[start..Math.Min(rows.Length, start + size)];
    }
}
