// The extra passes some components need, run only when asked: the frozen base policy's log-probs over each
// response (C_Δ, KL) and the trace-ablated answer pass (the prompt, the answer segment's prefix tokens, then the
// answer tokens A, of which only A is scored; IFD_cond, ISPO.md §3.1).
using Ispo.Algorithms;
using Ispo.Models;
using Ispo.Models.Runtime;
using Ispo.Models.Scoring;
using TorchSharp;

namespace Ispo.Training.Rollouts;

public static class RolloutScoring
{
    /// <summary>Adds what <paramref name="needs"/> asks for and the rollouts lack (a pass already run, e.g. while
    /// filtering groups, is not repeated), scoring <paramref name="rowsPerPass"/> rows at a time, with log-probs of
    /// softmax(logits / <paramref name="temperature"/>) (the rollouts' sampling temperature, as the policy's).</summary>
    public static List<Rollout> Complete(List<Rollout> rollouts, BatchInputs needs, CausalLM policy, Func<CausalLM> baseModel,
        int rowsPerPass, double temperature = 1.0) =>
        NoCollection.Run(() => CompleteOnFreeCores(rollouts, needs, policy, baseModel, rowsPerPass, temperature)); // two threads in libtorch

    /// <summary>The passes are independent (different models and inputs), so two workers share them: one runs the
    /// trace-ablated pass (where sampling has not already) and the base pass of the first groups, the other the base
    /// pass of the rest, split so both finish together. Each worker gets the policy's thread count when the cores
    /// allow, else half of it: more threads than cores make TorchSharp's many small calls wait on each other, and one
    /// pass on two threads gains less than two passes on one thread each. With one thread on one core the passes run
    /// one after the other.</summary>
    static List<Rollout> CompleteOnFreeCores(List<Rollout> rollouts, BatchInputs needs, CausalLM policy, Func<CausalLM> baseModel,
        int rowsPerPass, double temperature)
    {
        bool wantBase = needs.HasFlag(BatchInputs.BaseLogProbs) && rollouts.Any(r => r.BaseLogProbs is null);
        bool wantAblated = needs.HasFlag(BatchInputs.AblatedAnswer) && rollouts.Any(r => r.AblatedAnswerLogProbs is null);
        CausalLM? reference = wantBase ? baseModel() : null;
        int threads = torch.get_num_threads();
        int perWorker = 2 * threads <= Environment.ProcessorCount ? threads : threads / 2;
        bool twoWorkers = reference is not null && perWorker >= 1 && rollouts.Select(r => r.Group).Distinct().Count() > 1;
        using var workerThreads = TorchThreads.Use(twoWorkers ? perWorker : threads);
        int split = twoWorkers ? BalancedSplit(rollouts, wantAblated) : rollouts.Count; // base rows [0, split) stay on this thread
        using IDisposable? packed = twoWorkers ? PackOnce(reference!) : null; // both workers then use it as it is
        Task<float[][]> otherWorker = !twoWorkers ? Task.FromResult<float[][]>([]) : Task.Run(() =>
        {
            torch.set_num_threads(perWorker); // OpenMP's thread count is per thread: a pool thread would use every core
            return InChunks(rollouts.GetRange(split, rollouts.Count - split), rowsPerPass, chunk => ScoreResponses(reference!, chunk, temperature));
        });
        float[][]? ablated, baseLogProbs;
        try
        {
            ablated = wantAblated ? InChunks(rollouts, rowsPerPass, chunk => ScoreAblatedAnswers(policy, chunk, temperature)) : null;
            baseLogProbs = reference is null ? null : InChunks(rollouts.GetRange(0, split), rowsPerPass, chunk => ScoreResponses(reference, chunk, temperature));
        }
        finally
        {
            ((IAsyncResult)otherWorker).AsyncWaitHandle.WaitOne(); // never leave the base model in use behind the caller's back
        }
        if (baseLogProbs is not null) baseLogProbs = [.. baseLogProbs, .. otherWorker.GetAwaiter().GetResult()];
        return rollouts.Select((r, i) => r with
        {
            BaseLogProbs = baseLogProbs?[i] ?? r.BaseLogProbs,
            AblatedAnswerLogProbs = ablated?[i] ?? r.AblatedAnswerLogProbs,
        }).ToList();
    }

    static IDisposable PackOnce(CausalLM model)
    {
        using var noGrad = torch.no_grad();
        return model.PackForInference();
    }

    /// <summary>Where to cut the rollouts (at a group boundary) so that the ablated pass (if any) plus the base pass
    /// of the rows before the cut costs about what the base pass of the rows after it does, counting token positions
    /// run (a group's prompt once, then each response or answer).</summary>
    internal static int BalancedSplit(IReadOnlyList<Rollout> rollouts, bool withAblated = true)
    {
        var groupStarts = Enumerable.Range(0, rollouts.Count).Where(i => i == 0 || rollouts[i].Group != rollouts[i - 1].Group).ToList();
        long prompts = groupStarts.Sum(i => (long)rollouts[i].PromptTokens.Length);
        long responses = rollouts.Sum(r => (long)r.Length);
        long ablated = withAblated ? prompts + rollouts.Sum(r => (long)r.AnswerPrefixLength + r.AnswerLength) : 0;
        long target = (prompts + responses - ablated) / 2; // base work to keep on the ablated pass's thread
        long done = 0;
        int best = 0;
        long bestGap = Math.Abs(target);
        for (int g = 0; g < groupStarts.Count; g++)
        {
            int end = g + 1 < groupStarts.Count ? groupStarts[g + 1] : rollouts.Count;
            done += rollouts[groupStarts[g]].PromptTokens.Length;
            for (int i = groupStarts[g]; i < end; i++) done += rollouts[i].Length;
            if (Math.Abs(target - done) < bestGap) (best, bestGap) = (end, Math.Abs(target - done));
        }
        return best;
    }

    /// <summary>log p(y_t) of every response token under <paramref name="model"/>: float[n] per rollout.</summary>
    public static float[][] ScoreResponses(CausalLM model, IReadOnlyList<Rollout> rows, double temperature = 1.0) =>
        SharedPrefixScorer.Score(model, rows.Select(r => (r.PromptTokens, r.ResponseTokens)).ToList(), temperature: temperature);

    /// <summary>log p(y_t) and the entropy H_t of every response token under <paramref name="model"/>, as the sampler
    /// reports them: float[n] each per rollout, <paramref name="rowsPerPass"/> rows at a time.</summary>
    public static (float[][] LogProbs, float[][] Entropies) ScoreResponsesWithEntropies(CausalLM model, List<Rollout> rows,
        int rowsPerPass, double temperature = 1.0)
    {
        var entropies = new List<float[]>(rows.Count);
        float[][] logProbs = InChunks(rows, rowsPerPass, chunk =>
        {
            (float[][] l, float[][] h) = SharedPrefixScorer.ScoreWithEntropies(model, chunk.Select(r => (r.PromptTokens, r.ResponseTokens)).ToList(),
                temperature: temperature);
            entropies.AddRange(h);
            return l;
        });
        return (logProbs, [.. entropies]);
    }

    /// <summary>log p(a_t | Q, prefix, a_&lt;t): each answer teacher-forced after its prompt and its segment's prefix
    /// tokens (none under the segment span), placed back on the rollout's answer positions (0 elsewhere, the prefix
    /// included). Rollouts without an answer get all zeros.</summary>
    public static float[][] ScoreAblatedAnswers(CausalLM model, IReadOnlyList<Rollout> rows, double temperature = 1.0) =>
        OnAnswerPositions(rows, answers => SharedPrefixScorer.Score(model, rows.Select((r, i) => (r.PromptTokens, answers[i])).ToList(),
            temperature: temperature));

    /// <summary>The same after the prompts' kept prefill (rollout r continues prompt <c>r.Group − groupOffset</c>), as
    /// right after sampling, when the policy has not changed; <paramref name="rowsPerPass"/> rows at a time.</summary>
    public static float[][] ScoreAblatedAnswers(CausalLM model, PromptPrefix prompts, int groupOffset, List<Rollout> rows, int rowsPerPass,
        double temperature = 1.0) =>
        InChunks(rows, rowsPerPass, chunk => OnAnswerPositions(chunk, answers =>
            SharedPrefixScorer.Score(model, prompts, chunk.Select((r, i) => (r.Group - groupOffset, answers[i])).ToList(), temperature: temperature)));

    static float[][] OnAnswerPositions(IReadOnlyList<Rollout> rows, Func<int[][], float[][]> scoreAnswers)
    {
        int[][] fed = rows.Select(r => r.ResponseTokens.Where((_, t) => Fed(r, t)).ToArray()).ToArray(); // prefix then A, in order
        float[][] scored = scoreAnswers(fed);
        var result = rows.Select(r => new float[r.Length]).ToArray();
        for (int i = 0; i < rows.Count; i++)
            for (int t = 0, next = 0; t < rows[i].Length; t++)
            {
                if (!Fed(rows[i], t)) continue;
                float value = scored[i][next++];
                if (InAnswer(rows[i], t)) result[i][t] = value;
            }
        return result;
    }

    static bool InAnswer(Rollout r, int t) => r.AnswerMask.Length > t && r.AnswerMask[t];

    /// <summary>Tokens the ablated pass reads after the prompt: A and the segment prefix before it (the locator puts
    /// every prefix token before A and leaves the prefix empty when there is no A).</summary>
    static bool Fed(Rollout r, int t) => InAnswer(r, t) || (r.AnswerPrefixMask.Length > t && r.AnswerPrefixMask[t]);

    static float[][] InChunks(List<Rollout> rows, int size, Func<List<Rollout>, float[][]> score)
    {
        var result = new List<float[]>(rows.Count);
        for (int start = 0; start < rows.Count; start += size)
            result.AddRange(score(rows.GetRange(start, Math.Min(size, rows.Count - start))));
        return [.. result];
    }
}
