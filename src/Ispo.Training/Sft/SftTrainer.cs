// Supervised warm start: cross-entropy on prompt → solution pairs with the loss on the solution tokens only, so a
// tiny random model learns a task's format (and some skill) before RL. Deterministic for a seed.
using Ispo.Models;
using Ispo.Models.Scoring;
using Ispo.Training.Configuration;
using Ispo.Training.Trainer;
using static TorchSharp.torch;

namespace Ispo.Training.Sft;

public sealed record SftStep(int Step, double Loss, double TokenAccuracy, double Lr, double Seconds);

public static class SftTrainer
{
    /// <summary>Trains <paramref name="model"/> in place; <paramref name="onStep"/> sees every step's metrics.</summary>
    public static IReadOnlyList<SftStep> Train(CausalLM model, IReadOnlyList<SftExample> examples, SftConfig options, int seed,
        Action<SftStep>? onStep = null, CancellationToken cancel = default)
    {
        if (examples.Count == 0) throw new ArgumentException("SFT needs at least one example");
        var schedule = new LearningRateSchedule(options.Lr, options.WarmupSteps, options.Steps, options.Schedule, MinLrRatio: 0.1);
        using var optimizer = Optimizers.AdamW(model, options.Lr, weightDecay: options.WeightDecay);
        var order = new Random(seed);
        int[] permutation = Enumerable.Range(0, examples.Count).OrderBy(_ => order.Next()).ToArray();
        var history = new List<SftStep>();
        model.train();
        for (int step = 0; step < options.Steps && !cancel.IsCancellationRequested; step++)
        {
            var started = System.Diagnostics.Stopwatch.StartNew();
            var rows = Enumerable.Range(step * options.BatchSize, options.BatchSize)
                .Select(i => examples[permutation[i % permutation.Length]]).ToList();
            double lr = schedule.At(step);
            Optimizers.SetLearningRate(optimizer, lr);
            (double loss, double accuracy) = TrainBatch(model, optimizer, rows, options.GradClip);
            var record = new SftStep(step, loss, accuracy, lr, started.Elapsed.TotalSeconds);
            history.Add(record);
            onStep?.Invoke(record);
        }
        model.eval();
        return history;
    }

    static (double Loss, double Accuracy) TrainBatch(CausalLM model, optim.Optimizer optimizer, IReadOnlyList<SftExample> rows, double gradClip)
    {
        using var scope = NewDisposeScope();
        (Tensor ids, Tensor attention, Tensor targetMask) = Pack(rows, model.Config.EosTokenIds.FirstOrDefault(), model.Device);
        optimizer.zero_grad();
        using TokenScores scores = Scorer.Score(model, ids, attention, targetMask, new ScoreOptions { ComputeEntropy = false }, withGrad: true);
        Tensor tokens = targetMask.sum();
        Tensor loss = -(scores.LogProbs * targetMask).sum() / tokens;
        loss.backward();
        Optimizers.ClipGradNorm(model, gradClip);
        optimizer.step();
        // A token is "right" when its log-prob exceeds log 0.5: a lower bound on greedy accuracy, cheap to compute.
        double accuracy = ((scores.LogProbs.detach() > Math.Log(0.5)).to(ScalarType.Float32) * targetMask).sum().item<float>() / tokens.item<float>();
        return (loss.item<float>(), accuracy);
    }

    /// <summary>Left-pads prompt+target rows; the mask marks target positions.</summary>
    internal static (Tensor Ids, Tensor Attention, Tensor TargetMask) Pack(IReadOnlyList<SftExample> rows, int padId, Device? device = null)
    {
        int width = rows.Max(r => r.Prompt.Length + r.Target.Length);
        var ids = new long[rows.Count * width];
        var attention = new long[rows.Count * width];
        var target = new float[rows.Count * width];
        for (int i = 0; i < rows.Count; i++)
        {
            int length = rows[i].Prompt.Length + rows[i].Target.Length, offset = i * width + width - length;
            for (int j = 0; j < width - length; j++) ids[i * width + j] = padId;
            for (int j = 0; j < length; j++)
            {
                bool isTarget = j >= rows[i].Prompt.Length;
                ids[offset + j] = isTarget ? rows[i].Target[j - rows[i].Prompt.Length] : rows[i].Prompt[j];
                attention[offset + j] = 1;
                target[offset + j] = isTarget ? 1 : 0;
            }
        }
        device ??= CPU;
        return (tensor(ids, [rows.Count, width], device: device), tensor(attention, [rows.Count, width], device: device),
            tensor(target, [rows.Count, width], device: device));
    }
}
