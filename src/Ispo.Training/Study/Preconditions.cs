// ISPO.md §7's preconditions, measured on a base model before RL (step 0) on the training tiers: G rollouts per
// training prompt at the rollouts' own settings, then how diverse they are (entropy of each rollout's top-10%
// tokens, groups of identical rollouts), how often GRPO would get no signal (all outcomes equal), and how far
// sampling reaches on the hardest tier (pass@1 against pass@G).
using Ispo.Models;
using Ispo.Training.Configuration;
using Ispo.Training.Rollouts;
using Ispo.Training.Tasks;

namespace Ispo.Training.Study;

/// <param name="Top10Entropy">Mean entropy (nats) over the tokens in the top 10% of entropy within each rollout (𝒜).</param>
/// <param name="MeanEntropy">Mean entropy (nats) over all generated tokens.</param>
/// <param name="GrpoZeroAdvRate">Fraction of groups whose outcomes are all equal.</param>
/// <param name="IdenticalGroupFrac">Fraction of groups whose G rollouts are the same tokens.</param>
/// <param name="Pass1ByTier">Mean outcome of the samples, per training tier (in the order of data.tiers).</param>
/// <param name="PassGByTier">Fraction of groups with at least one correct rollout, per training tier.</param>
public sealed record PreconditionFigures(double Top10Entropy, double MeanEntropy, double GrpoZeroAdvRate, double IdenticalGroupFrac,
    int HardestTier, double Pass1Hardest, double Pass8Hardest, int[] Tiers, double[] Pass1ByTier, double[] PassGByTier, int PromptsPerTier)
{
    /// <summary>The thresholds: top-10% entropy ≥ 1 nat; pass@8 − pass@1 ≥ 0.2 on the hardest tier; GRPO's
    /// zero-advantage rate in [0.2, 0.6]; fewer than 5% of groups identical.</summary>
    public IReadOnlyDictionary<string, bool> Checks => new Dictionary<string, bool>
    {
        ["top10_entropy >= 1"] = Top10Entropy >= 1,
        ["pass8 - pass1 >= 0.2 (hardest tier)"] = Pass8Hardest - Pass1Hardest >= 0.2,
        ["0.2 <= grpo_zero_adv_rate <= 0.6"] = GrpoZeroAdvRate is >= 0.2 and <= 0.6,
        ["identical_group_frac < 0.05"] = IdenticalGroupFrac < 0.05,
    };
}

public static class Preconditions
{
    public const double TopFraction = 0.1;

    public static PreconditionFigures Measure(CausalLM policy, IRolloutEnvironment env, TrainConfig config, int promptsPerTier, int padTokenId)
    {
        var byTier = new List<List<Rollout>>();
        var tokenEntropies = new List<float>();
        var topEntropies = new List<float>();
        foreach (int tier in config.Data.Tiers)
        {
            var problems = Enumerable.Range(0, promptsPerTier)
                .Select(i => SyntheticArithmetic.Sample(tier, TaskSplit.Train, config.Run.Seed + 1, i))
                .Select((p, i) => new TrainingProblem($"t{tier}-{i}", p.Prompt, p.AnswerText, tier)).ToList();
            var rollouts = new List<Rollout>();
            for (int start = 0; start < problems.Count; start += 32)
                rollouts.AddRange(RolloutGenerator.Generate(policy, problems.GetRange(start, Math.Min(32, problems.Count - start)), env,
                    RolloutSampling.Options(config, policy, env, padTokenId, tier * 100_003L + start), groupOffset: start));
            byTier.Add(rollouts);
            foreach (Rollout r in rollouts)
            {
                tokenEntropies.AddRange(r.Entropies);
                topEntropies.AddRange(r.Entropies.OrderByDescending(h => h).Take((int)Math.Ceiling(Math.Round(TopFraction * r.Length, 9))));
            }
        }
        var groups = byTier.SelectMany(rs => rs.GroupBy(r => r.Group).Select(gr => gr.ToList())).ToList();
        double[] pass1 = byTier.Select(rs => rs.Average(r => r.Outcome > 0.5 ? 1.0 : 0.0)).ToArray();
        double[] passG = byTier.Select(rs => rs.GroupBy(r => r.Group).Average(gr => gr.Any(r => r.Outcome > 0.5) ? 1.0 : 0.0)).ToArray();
        int hardest = Enumerable.Range(0, config.Data.Tiers.Count).MaxBy(i => config.Data.Tiers[i]); // tiers rise in difficulty
        return new PreconditionFigures(
            Top10Entropy: topEntropies.Count == 0 ? 0 : topEntropies.Average(h => (double)h),
            MeanEntropy: tokenEntropies.Count == 0 ? 0 : tokenEntropies.Average(h => (double)h),
            GrpoZeroAdvRate: groups.Average(gr => gr.All(r => (r.Outcome > 0.5) == (gr[0].Outcome > 0.5)) ? 1.0 : 0.0),
            IdenticalGroupFrac: groups.Average(gr => gr.All(r => r.ResponseTokens.SequenceEqual(gr[0].ResponseTokens)) ? 1.0 : 0.0),
            HardestTier: config.Data.Tiers[hardest], Pass1Hardest: pass1[hardest], Pass8Hardest: passG[hardest],
            Tiers: [.. config.Data.Tiers], Pass1ByTier: pass1, PassGByTier: passG, PromptsPerTier: promptsPerTier);
    }
}
