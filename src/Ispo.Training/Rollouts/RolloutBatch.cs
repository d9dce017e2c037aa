// Packs rollouts (host arrays) into the algorithms' GroupedBatch (response grid [B,Tr], right-padded) and the policy's
// input grid (prompt left-padded to Tp, then the response), so response column j is input column Tp + j. Every
// tensor is made on the policy's device (model.device).
using Ispo.Algorithms;
using Ispo.Models.Runtime;
using static TorchSharp.torch;

namespace Ispo.Training.Rollouts;

public sealed class RolloutBatch : IDisposable
{
    public required GroupedBatch Batch { get; init; }
    public required Tensor InputIds { get; init; }             // [B,Tp+Tr] int64
    public required Tensor AttentionMask { get; init; }        // [B,Tp+Tr] int64
    public required Tensor ScoredMask { get; init; }           // [B,Tp+Tr] float32: 1 on response tokens
    public required int PromptWidth { get; init; }             // Tp

    /// <summary>Builds the batch on <paramref name="device"/> (the CPU when null); rows must be contiguous groups of
    /// <paramref name="groupSize"/>.</summary>
    public static RolloutBatch Build(IReadOnlyList<Rollout> rows, int groupSize, int padTokenId, BatchInputs needs, Device? device = null)
    {
        device ??= CPU;
        int b = rows.Count;
        int tp = rows.Max(r => r.PromptTokens.Length);
        int tr = Math.Max(1, rows.Max(r => r.Length));
        var ids = new long[b * (tp + tr)];
        var attention = new long[b * (tp + tr)];
        var responseMask = new float[b * tr];
        for (int i = 0; i < b; i++)
        {
            Rollout r = rows[i];
            int row = i * (tp + tr), offset = tp - r.PromptTokens.Length;
            for (int j = 0; j < tp + tr; j++) ids[row + j] = padTokenId;
            for (int j = 0; j < r.PromptTokens.Length; j++) { ids[row + offset + j] = r.PromptTokens[j]; attention[row + offset + j] = 1; }
            for (int j = 0; j < r.Length; j++) { ids[row + tp + j] = r.ResponseTokens[j]; attention[row + tp + j] = 1; responseMask[i * tr + j] = 1; }
        }
        Tensor response = tensor(responseMask, [b, tr], device: device);
        var batch = new GroupedBatch
        {
            GroupSize = groupSize,
            ResponseMask = response,
            OutcomeRewards = tensor(rows.Select(r => (float)r.Outcome).ToArray(), device: device),
            OldLogProbs = Grid(rows, tr, r => r.OldLogProbs, device),
            Entropies = Grid(rows, tr, r => r.Entropies, device),
            BaseLogProbs = needs.HasFlag(BatchInputs.BaseLogProbs) ? Grid(rows, tr, r => r.BaseLogProbs!, device) : null,
            AnswerMask = needs.HasFlag(BatchInputs.AblatedAnswer) ? Grid(rows, tr, r => r.AnswerMask.Select(x => x ? 1f : 0f).ToArray(), device) : null,
            AblatedAnswerLogProbs = needs.HasFlag(BatchInputs.AblatedAnswer) ? Grid(rows, tr, r => r.AblatedAnswerLogProbs!, device) : null,
            Truncated = tensor(rows.Select(r => r.Truncated).ToArray(), device: device),
        };
        Tensor scored = cat([zeros(b, tp, device: device), response], 1);
        var built = new RolloutBatch
        {
            Batch = batch,
            InputIds = tensor(ids, [b, tp + tr], device: device),
            AttentionMask = tensor(attention, [b, tp + tr], device: device),
            ScoredMask = scored,
            PromptWidth = tp,
        };
        built.ExpectDevice(device, "the rollout batch");
        return built;
    }

    /// <summary>The wrong-device check of every tensor this batch holds (<see cref="DeviceGuard"/>).</summary>
    public void ExpectDevice(Device device, string where) => DeviceGuard.Expect(device, where,
        ("InputIds", InputIds), ("AttentionMask", AttentionMask), ("ScoredMask", ScoredMask), ("ResponseMask", Batch.ResponseMask),
        ("OutcomeRewards", Batch.OutcomeRewards), ("OldLogProbs", Batch.OldLogProbs), ("Entropies", Batch.Entropies),
        ("BaseLogProbs", Batch.BaseLogProbs), ("AnswerMask", Batch.AnswerMask), ("AblatedAnswerLogProbs", Batch.AblatedAnswerLogProbs),
        ("Truncated", Batch.Truncated));

    /// <summary>Response-aligned view of a [B,Tp+Tr] grid of per-token values.</summary>
    public Tensor ResponseColumns(Tensor fullGrid) => fullGrid.narrow(1, PromptWidth, fullGrid.shape[1] - PromptWidth); // [B,Tr]

    static Tensor Grid(IReadOnlyList<Rollout> rows, int width, Func<Rollout, float[]> values, Device device)
    {
        var data = new float[rows.Count * width];
        for (int i = 0; i < rows.Count; i++)
        {
            float[] v = values(rows[i]);
            Array.Copy(v, 0, data, i * width, Math.Min(v.Length, width));
        }
        return tensor(data, [rows.Count, width], device: device);
    }

    public void Dispose()
    {
        foreach (Tensor? t in new[] { Batch.ResponseMask, Batch.OutcomeRewards, Batch.OldLogProbs, Batch.Entropies, Batch.BaseLogProbs,
                     Batch.AnswerMask, Batch.AblatedAnswerLogProbs, Batch.Truncated, InputIds, AttentionMask, ScoredMask })
            t?.Dispose();
    }
}
