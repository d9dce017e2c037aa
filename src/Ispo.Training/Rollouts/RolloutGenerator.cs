// The rollout phase: sample G completions per prompt with the policy, decode, judge, and locate each answer span.
using Ispo.Models;
using Ispo.Models.Sampling;

namespace Ispo.Training.Rollouts;

public static class RolloutGenerator
{
    /// <summary>Rows come back contiguous by group (rollout g of prompt p at p·G + g).</summary>
    public static List<Rollout> Generate(CausalLM policy, IReadOnlyList<TrainingProblem> problems, IRolloutEnvironment env,
        SamplingOptions sampling, int groupOffset = 0)
    {
        int[][] prompts = problems.Select(env.EncodePrompt).ToArray();
        IReadOnlyList<Sample> samples = Sampler.Generate(policy, prompts, sampling);
        var rollouts = new List<Rollout>(samples.Count);
        foreach (Sample sample in samples)
        {
            TrainingProblem problem = problems[sample.PromptIndex];
            ResponseText text = env.Decode(sample.TokenIds);
            Judgement judgement = env.Judge(text.Text, problem);
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
                Verdict = judgement.Verdict,
                AnswerMask = AnswerSpanLocator.Locate(text.Starts, text.Text.Length, judgement.AnswerStart),
            });
        }
        return rollouts;
    }
}
