// The update phase: μ epochs over the step's rollouts in shuffled mini-batches, each split into micro-batches (equal
// row counts, or packed by a token budget) whose gradients accumulate, each weighted by its share of the loss's
// normaliser so that the sum is the mini-batch's gradient; then global-norm clipping and one AdamW step (on fp32 master
// weights under mixed precision). A non-finite loss or gradient skips the optimizer step (the parameters stay as they were).
using Ispo.Algorithms;
using Ispo.Models;
using Ispo.Models.Runtime;
using Ispo.Models.Scoring;
using Ispo.Training.Rollouts;
using static TorchSharp.torch;

namespace Ispo.Training.Trainer;

/// <param name="Temperature">The policy's log-probs (and entropies) are of softmax(logits / Temperature): the rollouts'
/// sampling temperature, as in TRL and verl.</param>
/// <param name="MicroBatchTokens">Packs micro-batches by padded tokens (optim.micro_batch_tokens) instead of splitting
/// into GradAccumulation equal row counts; null: by rows.</param>
public sealed record UpdateOptions(int Epochs, int MiniBatchSize, int GradAccumulation, double GradClip, double Temperature = 1.0,
    int? MicroBatchTokens = null);

public sealed record UpdateResult(MetricsBag Metrics, int OptimizerSteps, int SkippedNonFinite);

public static class PolicyUpdater
{
    public static UpdateResult Update(CausalLM policy, optim.Optimizer optimizer, RolloutBatch batch, Tensor advantages,
        IPolicyLoss loss, UpdateOptions options, Random shuffle, MasterWeights? masters = null)   // advantages: [B] or [B,T] float32
    {
        int rows = batch.Batch.Rows;
        int[] lengths = ResponseLengths(batch.Batch);
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
                if (masters is not null) policy.zero_grad();
                bool finite = true;
                IReadOnlyList<int[]> micros = options.MicroBatchTokens is { } tokens
                    ? PackByTokens(mini, lengths, batch.PromptWidth, tokens)
                    : Split(mini, options.GradAccumulation).ToList();
                double total = Normaliser(loss, batch, mini);
                var weighted = new List<(MetricsBag Metrics, double Share)>();
                foreach (int[] micro in micros)
                {
                    (MetricsBag m, double share) = Backward(policy, batch, advantages, loss, micro, lengths,
                        total > 0 ? total : double.NaN, (double)micro.Length / mini.Length, options.Temperature);
                    finite &= double.IsFinite(m["loss"]);
                    weighted.Add((m, share));
                }
                double shares = weighted.Sum(w => w.Share);  // 1, except seq-mean-token-sum-norm over the padded width
                foreach (var (m, share) in weighted)
                    foreach (var (k, v) in m) sums[k] = sums.GetValueOrDefault(k) + v * share / shares;
                lossTerms++;
                masters?.GradientsToMasters();
                double norm = masters is null ? Optimizers.ClipGradNorm(policy, options.GradClip) : Optimizers.ClipGradNorm(masters.Parameters, options.GradClip);
                sums["grad_norm"] = sums.GetValueOrDefault("grad_norm") + norm;
                if (finite && double.IsFinite(norm)) { optimizer.step(); masters?.CopyToModel(); steps++; }
                else { optimizer.zero_grad(); skipped++; }
            }
        }
        policy.eval();
        var metrics = new MetricsBag();
        foreach (var (k, v) in sums) metrics.Set(k, v / Math.Max(1, lossTerms));
        return new UpdateResult(metrics, steps, skipped);
    }

    /// <summary>Loss on one micro-batch, trimmed to its longest response and scaled by its share of the mini-batch's
    /// normaliser <paramref name="total"/> (the micro-batch's normaliser is taken on the trimmed rows the loss sees),
    /// back-propagated; returns its metrics and share. A mini-batch whose normaliser is 0 (NaN here: no token counts)
    /// has a zero loss; its micro-batches take <paramref name="rowShare"/>.</summary>
    static (MetricsBag Metrics, double Share) Backward(CausalLM policy, RolloutBatch batch, Tensor advantages, IPolicyLoss loss,
        int[] rows, int[] lengths, double total, double rowShare, double temperature)
    {
        using var scope = NewDisposeScope();
        Tensor index = tensor(rows.Select(r => (long)r).ToArray(), device: batch.InputIds.device);
        int width = Math.Max(1, rows.Max(r => lengths[r]));    // response columns this micro-batch needs
        int columns = batch.PromptWidth + width;
        bool entropies = loss.Needs.HasFlag(BatchInputs.CurrentEntropies);
        using TokenScores scores = Scorer.Score(policy, Columns(batch.InputIds, index, columns), Columns(batch.AttentionMask, index, columns),
            Columns(batch.ScoredMask, index, columns), new ScoreOptions { ComputeEntropy = entropies, Temperature = temperature }, withGrad: true);
        var current = new PolicyEvaluation(ResponseColumns(scores.LogProbs, batch.PromptWidth), entropies ? ResponseColumns(scores.Entropies!, batch.PromptWidth) : null);
        Tensor adv = advantages.index_select(0, index);         // [b] or [b,T]
        if (adv.dim() == 2) adv = adv.narrow(1, 0, width);
        GroupedBatch micro = batch.Batch.SelectRows(index).NarrowColumns(width);
        double weight = double.IsNaN(total) ? rowShare : loss.Normaliser(micro) / total;
        PolicyLossResult result = DeviceGuard.At($"policy loss {loss.GetType().Name}", () => loss.Compute(current, adv, micro));
        DeviceGuard.Expect(policy.Device, $"policy loss {loss.GetType().Name}", ("its loss", result.Loss));
        float value = result.Loss.item<float>();
        if (float.IsFinite(value)) (result.Loss * weight).backward();
        var metrics = new MetricsBag().Merge(result.Metrics);
        metrics.Set("loss", value);
        return (metrics, weight);
    }

    static Tensor Columns(Tensor grid, Tensor rows, int columns) => grid.index_select(0, rows).narrow(1, 0, columns);   // [B,S] → [b,columns]

    static Tensor ResponseColumns(Tensor grid, int promptWidth) => grid.narrow(1, promptWidth, grid.shape[1] - promptWidth);

    static double Normaliser(IPolicyLoss loss, RolloutBatch batch, int[] rows)
    {
        using var scope = NewDisposeScope();
        return loss.Normaliser(batch.Batch.SelectRows(tensor(rows.Select(r => (long)r).ToArray(), device: batch.InputIds.device)));
    }

    static int[] ResponseLengths(GroupedBatch batch)
    {
        using var scope = NewDisposeScope();
        return batch.ResponseMask.sum(1).to(ScalarType.Int32).cpu().data<int>().ToArray();
    }

    /// <summary>Rows per micro-batch when <paramref name="rows"/> rows are split into <paramref name="parts"/>.</summary>
    public static int MicroBatchRows(int rows, int parts) => (rows + parts - 1) / parts;

    static IEnumerable<int[]> Split(int[] rows, int parts)
    {
        int size = MicroBatchRows(rows.Length, parts);
        for (int start = 0; start < rows.Length; start += size) yield return rows[start..Math.Min(rows.Length, start + size)];
    }

    /// <summary>Micro-batches of at most <paramref name="budget"/> padded tokens: the rows sorted by response length,
    /// longest first (ties keep their shuffled order), then packed greedily, a micro-batch's tokens being its rows ×
    /// (<paramref name="promptWidth"/> + its longest response), as Backward trims it. A row longer than the budget is
    /// a micro-batch of its own.</summary>
    public static IReadOnlyList<int[]> PackByTokens(int[] rows, int[] lengths, int promptWidth, long budget)
    {
        int[] sorted = rows.OrderByDescending(r => lengths[r]).ToArray();     // OrderBy is stable
        var micros = new List<int[]>();
        int start = 0;
        while (start < sorted.Length)
        {
            long width = promptWidth + Math.Max(1, lengths[sorted[start]]);     // the longest row of this micro-batch
            int count = (int)Math.Max(1, Math.Min(sorted.Length - start, budget / width));
            micros.Add(sorted[start..(start + count)]);
            start += count;
        }
        return micros;
    }
}
