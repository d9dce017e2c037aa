// The extra passes some components need, run only when asked: the frozen base policy's log-probs over each
// response (C_Δ, KL) and the trace-ablated answer pass (prompt followed directly by the answer tokens; IFD_cond).
using Ispo.Algorithms;
using Ispo.Models;
using Ispo.Models.Scoring;
using static TorchSharp.torch;

namespace Ispo.Training.Rollouts;

public static class RolloutScoring
{
    /// <summary>Adds what <paramref name="needs"/> asks for, scoring <paramref name="rowsPerPass"/> rows at a time.</summary>
    public static List<Rollout> Complete(List<Rollout> rollouts, BatchInputs needs, CausalLM policy, Func<CausalLM> baseModel,
        int padTokenId, int rowsPerPass)
    {
        if (needs.HasFlag(BatchInputs.BaseLogProbs))
        {
            CausalLM reference = baseModel();
            rollouts = InChunks(rollouts, rowsPerPass, chunk => ScoreResponses(reference, chunk, padTokenId)
                .Select((lp, i) => chunk[i] with { BaseLogProbs = lp }));
        }
        if (needs.HasFlag(BatchInputs.AblatedAnswer))
            rollouts = InChunks(rollouts, rowsPerPass, chunk => ScoreAblatedAnswers(policy, chunk, padTokenId)
                .Select((lp, i) => chunk[i] with { AblatedAnswerLogProbs = lp }));
        return rollouts;
    }

    /// <summary>log p(y_t) of every response token under <paramref name="model"/>: float[n] per rollout.</summary>
    public static float[][] ScoreResponses(CausalLM model, IReadOnlyList<Rollout> rows, int padTokenId) =>
        ScoreContinuations(model, rows.Select(r => (r.PromptTokens, r.ResponseTokens)).ToList(), padTokenId);

    /// <summary>log p(a_t | Q, a_&lt;t): each answer teacher-forced right after its prompt, placed back on the
    /// rollout's answer positions (0 elsewhere). Rollouts without an answer get all zeros.</summary>
    public static float[][] ScoreAblatedAnswers(CausalLM model, IReadOnlyList<Rollout> rows, int padTokenId)
    {
        var answers = rows.Select(r => r.ResponseTokens.Where((_, t) => r.AnswerMask.Length > t && r.AnswerMask[t]).ToArray()).ToList();
        var withAnswer = Enumerable.Range(0, rows.Count).Where(i => answers[i].Length > 0).ToList();
        float[][] scored = withAnswer.Count == 0 ? [] :
            ScoreContinuations(model, withAnswer.Select(i => (rows[i].PromptTokens, answers[i])).ToList(), padTokenId);
        var result = rows.Select(r => new float[r.Length]).ToArray();
        for (int k = 0; k < withAnswer.Count; k++)
        {
            int i = withAnswer[k], next = 0;
            for (int t = 0; t < rows[i].Length; t++)
                if (rows[i].AnswerMask[t]) result[i][t] = scored[k][next++];
        }
        return result;
    }

    /// <summary>Teacher-forced log-probs of each continuation after its context (left-padded batch, no grad).</summary>
    static float[][] ScoreContinuations(CausalLM model, IReadOnlyList<(int[] Context, int[] Continuation)> rows, int padTokenId)
    {
        using var scope = NewDisposeScope();
        var packed = rows.Select(r => new Sft.SftExample(r.Context, r.Continuation)).ToList();
        (Tensor ids, Tensor attention, Tensor mask) = Sft.SftTrainer.Pack(packed, padTokenId);
        using TokenScores scores = Scorer.Score(model, ids, attention, mask, new ScoreOptions { ComputeEntropy = false });
        int width = (int)ids.shape[1];
        float[] flat = scores.LogProbs.contiguous().data<float>().ToArray();
        return rows.Select((r, i) => flat.AsSpan(i * width + width - r.Continuation.Length, r.Continuation.Length).ToArray()).ToArray();
    }

    static List<Rollout> InChunks(List<Rollout> rows, int size, Func<List<Rollout>, IEnumerable<Rollout>> map)
    {
        var result = new List<Rollout>(rows.Count);
        for (int start = 0; start < rows.Count; start += size)
            result.AddRange(map(rows.GetRange(start, Math.Min(size, rows.Count - start))));
        return result;
    }
}
