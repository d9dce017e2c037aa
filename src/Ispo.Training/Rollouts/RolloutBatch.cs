// Packs CPU rollouts into the algorithms' GroupedBatch (response grid [B,Tr], right-padded) and the policy's
// input grid (prompt left-padded to Tp, then the response), so response column j is input column Tp + j.
using Ispo.Algorithms;
using static TorchSharp.torch;

namespace Ispo.Training.Rollouts;

public sealed class RolloutBatch : IDisposable
{
    public required GroupedBatch Batch { get; init; }
    public required Tensor InputIds { get; init; }             // [B,Tp+Tr] int64
    public required Tensor AttentionMask { get; init; }        // [B,Tp+Tr] int64
    public required Tensor ScoredMask { get; init; }           // [B,Tp+Tr] float32: 1 on response tokens
    public required int PromptWidth { get; init; }             // Tp

    /// <summary>Builds the batch; rows must be contiguous groups of <paramref name="groupSize"/>.</summary>
    public static RolloutBatch Build(IReadOnlyList<Rollout> rows, int groupSize, int padTokenId, BatchInputs needs)
    {
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
        Tensor response = tensor(responseMask, [b, tr]);
        var batch = new GroupedBatch
        {
            GroupSize = groupSize,
            ResponseMask = response,
            OutcomeRewards = tensor(rows.Select(r => (float)r.Outcome).ToArray()),
            OldLogProbs = Grid(rows, tr, r => r.OldLogProbs),
            Entropies = Grid(rows, tr, r => r.Entropies),
            BaseLogProbs = needs.HasFlag(BatchInputs.BaseLogProbs) ? Grid(rows, tr, r => r.BaseLogProbs!) : null,
            AnswerMask = needs.HasFlag(BatchInputs.AblatedAnswer) ? Grid(rows, tr, r => r.AnswerMask.Select(x => x ? 1f : 0f).ToArray()) : null,
            AblatedAnswerLogProbs = needs.HasFlag(BatchInputs.AblatedAnswer) ? Grid(rows, tr, r => r.AblatedAnswerLogProbs!) : null,
            Truncated = tensor(rows.Select(r => r.Truncated).ToArray()),
        };
        Tensor scored = cat([zeros(b, tp), response], 1);
        return new RolloutBatch
        {
            Batch = batch,
            InputIds = tensor(ids, [b, tp + tr]),
            AttentionMask = tensor(attention, [b, tp + tr]),
            ScoredMask = scored,
            PromptWidth = tp,
        };
    }

    /// <summary>Response-aligned view of a [B,Tp+Tr] grid of per-token values.</summary>
    public Tensor ResponseColumns(Tensor fullGrid) => fullGrid.narrow(1, PromptWidth, fullGrid.shape[1] - PromptWidth); // [B,Tr]

    static Tensor Grid(IReadOnlyList<Rollout> rows, int width, Func<Rollout, float[]> values)
    {
        var data = new float[rows.Count * width];
        for (int i = 0; i < rows.Count; i++)
        {
            float[] v = values(rows[i]);
            Array.Copy(v, 0, data, i * width, Math.Min(v.Length, width));
        }
        return tensor(data, [rows.Count, width]);
    }

    public void Dispose()
    {
        foreach (Tensor? t in new[] { Batch.ResponseMask, Batch.OutcomeRewards, Batch.OldLogProbs, Batch.Entropies, Batch.BaseLogProbs,
                     Batch.AnswerMask, Batch.AblatedAnswerLogProbs, Batch.Truncated, InputIds, AttentionMask, ScoredMask })
            t?.Dispose();
    }
}
