// Greedy accuracy of a policy on held-out synthetic problems, tier by tier (periodic evaluation during RL).
using Ispo.MathVerify;
using Ispo.Models;
using Ispo.Models.Sampling;
using Ispo.Training.Rollouts;
using Ispo.Training.Tasks;

namespace Ispo.Training.Evaluation;

public static class TierEvaluation
{
    /// <summary>Fraction of <paramref name="perTier"/> test problems of each tier answered correctly (greedy).</summary>
    public static double[] AccuracyByTier(CausalLM policy, IRolloutEnvironment env, int perTier, int maxNewTokens, int seed, int batch = 64)
    {
        var accuracy = new double[SyntheticArithmetic.TierCount];
        for (int tier = 1; tier <= SyntheticArithmetic.TierCount; tier++)
        {
            var problems = SyntheticArithmetic.TestSet(tier, perTier, seed)
                .Select((p, i) => new TrainingProblem($"t{tier}-{i}", p.Prompt, p.AnswerText, tier)).ToList();
            int correct = 0;
            for (int start = 0; start < problems.Count; start += batch)
            {
                var chunk = problems.GetRange(start, Math.Min(batch, problems.Count - start));
                var options = new SamplingOptions { Greedy = true, MaxNewTokens = maxNewTokens, EosTokenIds = policy.Config.EosTokenIds };
                correct += RolloutGenerator.Generate(policy, chunk, env, options).Count(r => r.Outcome > 0);
            }
            accuracy[tier - 1] = (double)correct / problems.Count;
        }
        return accuracy;
    }
}
