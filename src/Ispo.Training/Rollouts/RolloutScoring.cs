// The extra passes some components need, run only when asked: the frozen base policy's log-probs over each
// response (C_Δ, KL) and the trace-ablated answer pass (prompt followed directly by the answer tokens; IFD_cond).
using Ispo.Algorithms;
using Ispo.Models;
using Ispo.Models.Runtime;
using Ispo.Models.Scoring;
using TorchSharp;

namespace Ispo.Training.Rollouts;

public static class RolloutScoring
{
    /// <summary>Adds what <paramref name="needs"/> asks for and the rollouts lack (a pass already run, e.g. while
    /// filtering groups, is not repeated), scoring <paramref name="rowsPerPass"/> rows at a time. The two passes
    /// are independent (different models and inputs), so the base pass runs on another thread meanwhile. On a CPU
    /// whose cores the policy's threads leave idle that hides part of it (a quarter on the demo: TorchSharp's small
    /// calls from two threads contend).</summary>
    public static List<Rollout> Complete(List<Rollout> rollouts, BatchInputs needs, CausalLM policy, Func<CausalLM> baseModel,
        int rowsPerPass) =>
        NoCollection.Run(() => CompleteConcurrently(rollouts, needs, policy, baseModel, rowsPerPass)); // two threads in libtorch

    static List<Rollout> CompleteConcurrently(List<Rollout> rollouts, BatchInputs needs, CausalLM policy, Func<CausalLM> baseModel,
        int rowsPerPass)
    {
        bool wantBase = needs.HasFlag(BatchInputs.BaseLogProbs) && rollouts.Any(r => r.BaseLogProbs is null);
        bool wantAblated = needs.HasFlag(BatchInputs.AblatedAnswer) && rollouts.Any(r => r.AblatedAnswerLogProbs is null);
        CausalLM? reference = wantBase ? baseModel() : null;
        int threads = torch.get_num_threads();
        Task<float[][]?> basePass = reference is null ? Task.FromResult<float[][]?>(null) : Task.Run<float[][]?>(() =>
        {
            torch.set_num_threads(threads); // OpenMP's thread count is per thread: a pool thread would use every core
            return InChunks(rollouts, rowsPerPass, chunk => ScoreResponses(reference, chunk));
        });
        float[][]? ablated;
        try
        {
            ablated = wantAblated ? InChunks(rollouts, rowsPerPass, chunk => ScoreAblatedAnswers(policy, chunk)) : null;
        }
        finally
        {
            ((IAsyncResult)basePass).AsyncWaitHandle.WaitOne(); // never leave the base model in use behind the caller's back
        }
        float[][]? baseLogProbs = basePass.GetAwaiter().GetResult();
        return rollouts.Select((r, i) => r with
        {
            BaseLogProbs = baseLogProbs?[i] ?? r.BaseLogProbs,
            AblatedAnswerLogProbs = ablated?[i] ?? r.AblatedAnswerLogProbs,
        }).ToList();
    }

    /// <summary>log p(y_t) of every response token under <paramref name="model"/>: float[n] per rollout.</summary>
    public static float[][] ScoreResponses(CausalLM model, IReadOnlyList<Rollout> rows) =>
        SharedPrefixScorer.Score(model, rows.Select(r => (r.PromptTokens, r.ResponseTokens)).ToList());

    /// <summary>log p(a_t | Q, a_&lt;t): each answer teacher-forced right after its prompt, placed back on the
    /// rollout's answer positions (0 elsewhere). Rollouts without an answer get all zeros.</summary>
    public static float[][] ScoreAblatedAnswers(CausalLM model, IReadOnlyList<Rollout> rows)
    {
        var answers = rows.Select(r => r.ResponseTokens.Where((_, t) => r.AnswerMask.Length > t && r.AnswerMask[t]).ToArray()).ToList();
        float[][] scored = SharedPrefixScorer.Score(model, rows.Select((r, i) => (r.PromptTokens, answers[i])).ToList());
        var result = rows.Select(r => new float[r.Length]).ToArray();
        for (int i = 0; i < rows.Count; i++)
            for (int t = 0, next = 0; t < rows[i].Length; t++)
                if (rows[i].AnswerMask.Length > t && rows[i].AnswerMask[t]) result[i][t] = scored[i][next++];
        return result;
    }

    static float[][] InChunks(List<Rollout> rows, int size, Func<List<Rollout>, float[][]> score)
    {
        var result = new List<float[]>(rows.Count);
        for (int start = 0; start < rows.Count; start += size)
            result.AddRange(score(rows.GetRange(start, Math.Min(size, rows.Count - start))));
        return [.. result];
    }
}
