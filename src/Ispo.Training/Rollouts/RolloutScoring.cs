// The extra passes some components need, run only when asked: the frozen base policy's log-probs over each
// response (C_Δ, KL) and the trace-ablated answer pass (prompt followed directly by the answer tokens; IFD_cond).
using Ispo.Algorithms;
using Ispo.Models;
using Ispo.Models.Scoring;

namespace Ispo.Training.Rollouts;

public static class RolloutScoring
{
    /// <summary>Adds what <paramref name="needs"/> asks for and the rollouts lack (a pass already run, e.g. while
    /// filtering groups, is not repeated), scoring <paramref name="rowsPerPass"/> rows at a time.</summary>
    public static List<Rollout> Complete(List<Rollout> rollouts, BatchInputs needs, CausalLM policy, Func<CausalLM> baseModel,
        int rowsPerPass)
    {
        if (needs.HasFlag(BatchInputs.BaseLogProbs) && rollouts.Any(r => r.BaseLogProbs is null))
        {
            CausalLM reference = baseModel();
            rollouts = InChunks(rollouts, rowsPerPass, chunk => ScoreResponses(reference, chunk)
                .Select((lp, i) => chunk[i] with { BaseLogProbs = lp }));
        }
        if (needs.HasFlag(BatchInputs.AblatedAnswer) && rollouts.Any(r => r.AblatedAnswerLogProbs is null))
            rollouts = InChunks(rollouts, rowsPerPass, chunk => ScoreAblatedAnswers(policy, chunk)
                .Select((lp, i) => chunk[i] with { AblatedAnswerLogProbs = lp }));
        return rollouts;
    }

    /// <summary>log p(y_t) of every response token under <paramref name="model"/>: float[n] per rollout.</summary>
    public static float[][] ScoreResponses(CausalLM model, IReadOnlyList<Rollout> rows) =>
        ScoreContinuations(model, rows.Select(r => (r.PromptTokens, r.ResponseTokens)).ToList());

    /// <summary>log p(a_t | Q, a_&lt;t): each answer teacher-forced right after its prompt, placed back on the
    /// rollout's answer positions (0 elsewhere). Rollouts without an answer get all zeros.</summary>
    public static float[][] ScoreAblatedAnswers(CausalLM model, IReadOnlyList<Rollout> rows)
    {
        var answers = rows.Select(r => r.ResponseTokens.Where((_, t) => r.AnswerMask.Length > t && r.AnswerMask[t]).ToArray()).ToList();
        float[][] scored = ScoreContinuations(model, rows.Select((r, i) => (r.PromptTokens, answers[i])).ToList());
        var result = rows.Select(r => new float[r.Length]).ToArray();
        for (int i = 0; i < rows.Count; i++)
            for (int t = 0, next = 0; t < rows[i].Length; t++)
                if (rows[i].AnswerMask.Length > t && rows[i].AnswerMask[t]) result[i][t] = scored[i][next++];
        return result;
    }

    /// <summary>Teacher-forced log-probs of each continuation after its context (no grad). Consecutive rows with the
    /// same context (a GRPO group) share one prompt pass.</summary>
    static float[][] ScoreContinuations(CausalLM model, IReadOnlyList<(int[] Context, int[] Continuation)> rows)
    {
        int perPrompt = SharedBlock(rows.Select(r => r.Context).ToList());
        int[][] prompts = Enumerable.Range(0, rows.Count / perPrompt).Select(p => rows[p * perPrompt].Context).ToArray();
        return SharedPrefixScorer.Score(model, prompts, perPrompt, rows.Select(r => r.Continuation).ToList());
    }

    /// <summary>The largest block size b such that rows come in runs of b identical contexts.</summary>
    static int SharedBlock(IReadOnlyList<int[]> contexts)
    {
        int run = 1;
        while (run < contexts.Count && contexts[run].AsSpan().SequenceEqual(contexts[0])) run++;
        for (int b = run; b > 1; b--)
            if (contexts.Count % b == 0 && Enumerable.Range(0, contexts.Count).All(i => contexts[i].AsSpan().SequenceEqual(contexts[i - i % b])))
                return b;
        return 1;
    }

    static List<Rollout> InChunks(List<Rollout> rows, int size, Func<List<Rollout>, IEnumerable<Rollout>> map)
    {
        var result = new List<Rollout>(rows.Count);
        for (int start = 0; start < rows.Count; start += size)
            result.AddRange(map(rows.GetRange(start, Math.Min(size, rows.Count - start))));
        return result;
    }
}
