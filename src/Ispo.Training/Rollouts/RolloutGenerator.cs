// The rollout phase: sample G completions per prompt with the policy, decode, judge, and locate each answer span
// (and, when asked, score each answer after its trace-ablated prompt while the prompts' prefill is at hand).
using Ispo.Algorithms;
using Ispo.Models;
using Ispo.Models.Sampling;
using Ispo.Models.Scoring;

namespace Ispo.Training.Rollouts;

public static class RolloutGenerator
{
    /// <summary>Rows come back contiguous by group (rollout g of prompt p at p·G + g). With
    /// <paramref name="ablatedRowsPerPass"/> &gt; 0, each rollout also carries its trace-ablated answer log-probs (at
    /// the sampling's LogProbTemperature), scored that many rows at a time on the prompts' prefill that sampling ran.
    /// <paramref name="answerSpan"/> says which tokens are each rollout's answer A. With <paramref name="kvCacheBudget"/>,
    /// the prompts are sampled in consecutive chunks that fit it (RolloutChunk, on the longest prompt); chunk c &gt; 0
    /// samples with seed <see cref="ChunkSeed"/>, as the sampler's one generator serves a whole batch.</summary>
    public static List<Rollout> Generate(CausalLM policy, IReadOnlyList<TrainingProblem> problems, IRolloutEnvironment env,
        SamplingOptions sampling, int groupOffset = 0, int ablatedRowsPerPass = 0, AnswerSpan answerSpan = AnswerSpan.Content,
        long? kvCacheBudget = null)
    {
        int[][] prompts = problems.Select(env.EncodePrompt).ToArray();
        int chunk = ChunkPrompts(policy, prompts, sampling, kvCacheBudget);
        var rollouts = new List<Rollout>(prompts.Length * sampling.SamplesPerPrompt);
        for (int start = 0, c = 0; start < prompts.Length; start += chunk, c++)
        {
            int count = Math.Min(chunk, prompts.Length - start);
            SamplingOptions options = c == 0 ? sampling : sampling with { Seed = ChunkSeed(sampling.Seed, c) };
            rollouts.AddRange(GenerateChunk(policy, problems.Skip(start).Take(count).ToList(), prompts[start..(start + count)], env, options,
                groupOffset + start, ablatedRowsPerPass, answerSpan));
        }
        return rollouts;
    }

    /// <summary>The seed of sampling chunk <paramref name="chunk"/> &gt; 0 of a round seeded <paramref name="seed"/>.</summary>
    public static long ChunkSeed(long seed, int chunk) => Trainer.Seeds.Mix(seed, chunk, 3000);

    /// <summary>Prompts per chunk: RolloutChunk's formula at the policy's dims and dtype on these prompts' longest.</summary>
    public static int ChunkPrompts(CausalLM policy, int[][] prompts, SamplingOptions sampling, long? kvCacheBudget)
    {
        if (kvCacheBudget is null || prompts.Length == 0) return Math.Max(1, prompts.Length);
        int dtypeBytes = policy.Dtype == TorchSharp.torch.ScalarType.Float32 ? 4 : 2;
        long perRow = Planning.RolloutChunk.KvBytesPerRow(policy.Config, dtypeBytes, prompts.Max(p => p.Length) + sampling.MaxNewTokens);
        return Planning.RolloutChunk.Prompts(kvCacheBudget, perRow, sampling.SamplesPerPrompt, prompts.Length);
    }

    static List<Rollout> GenerateChunk(CausalLM policy, IReadOnlyList<TrainingProblem> problems, int[][] prompts, IRolloutEnvironment env,
        SamplingOptions sampling, int groupOffset, int ablatedRowsPerPass, AnswerSpan answerSpan)
    {
        if (ablatedRowsPerPass <= 0 || prompts.Length == 0)
            return Judge(Sampler.Generate(policy, prompts, sampling), problems, prompts, env, groupOffset, answerSpan);
        (IReadOnlyList<Sample> samples, PromptPrefix kept) = Sampler.GenerateKeepingPrompts(policy, prompts, sampling);
        using (kept)
        {
            List<Rollout> rollouts = Judge(samples, problems, prompts, env, groupOffset, answerSpan);
            float[][] ablated = RolloutScoring.ScoreAblatedAnswers(policy, kept, groupOffset, rollouts, ablatedRowsPerPass, sampling.LogProbTemperature);
            return rollouts.Select((r, i) => r with { AblatedAnswerLogProbs = ablated[i] }).ToList();
        }
    }

    /// <summary>Decodes, judges and locates the answer of samples drawn elsewhere (a remote engine), sample s being
    /// of <c>problems[s.PromptIndex]</c>.</summary>
    public static List<Rollout> FromSamples(IReadOnlyList<Sample> samples, IReadOnlyList<TrainingProblem> problems, int[][] prompts,
        IRolloutEnvironment env, int groupOffset, AnswerSpan answerSpan) => Judge(samples, problems, prompts, env, groupOffset, answerSpan);

    static List<Rollout> Judge(IReadOnlyList<Sample> samples, IReadOnlyList<TrainingProblem> problems, int[][] prompts,
        IRolloutEnvironment env, int groupOffset, AnswerSpan answerSpan)
    {
        var rollouts = new List<Rollout>(samples.Count);
        foreach (Sample sample in samples)
        {
            TrainingProblem problem = problems[sample.PromptIndex];
            ResponseText text = env.Decode(sample.TokenIds);
            Judgement judgement = env.Judge(text.Text, problem);
            AnswerTokens answer = AnswerSpanLocator.Locate(text, judgement, answerSpan);
            rollouts.Add(new Rollout
            {
                Group = groupOffset + sample.PromptIndex,
                ProblemId = problem.Id,
                PromptTokens = prompts[sample.PromptIndex],
                ResponseTokens = sample.TokenIds,
                OldLogProbs = sample.LogProbs,
                Entropies = sample.Entropies,
                Completion = text.Text,
                Outcome = judgement.Score,
                Truncated = sample.FinishReason == FinishReason.Length,
                Gold = problem.Gold,
                Extracted = judgement.Extracted,
                AnswerMask = answer.Answer,
                AnswerPrefixMask = answer.Prefix,
            });
        }
        return rollouts;
    }
}
