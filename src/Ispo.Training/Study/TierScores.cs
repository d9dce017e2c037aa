// Held-out scores of one policy on the synthetic tiers, problem by problem, so methods can be compared pairwise:
// greedy correctness, and the number of correct answers among K samples (avg@K and unbiased pass@K come from it).
using System.Text.Json.Serialization;
using Ispo.Models;
using Ispo.Models.Sampling;
using Ispo.Training.Evaluation;
using Ispo.Training.Rollouts;
using Ispo.Training.Tasks;

namespace Ispo.Training.Study;

/// <param name="Greedy">[tier][problem] 1 when the greedy answer is right, else 0.</param>
/// <param name="SampledCorrect">[tier][problem] correct answers among <paramref name="Samples"/> samples.</param>
public sealed record TierScores(int[] Tiers, int Samples, double Temperature, double[][] Greedy, int[][] SampledCorrect)
{
    /// <summary>Tiers 1..5.</summary>
    public static IReadOnlyList<int> AllTiers { get; } = [.. Enumerable.Range(1, SyntheticArithmetic.TierCount)];

    [JsonIgnore] public double[] GreedyAccuracy => Greedy.Select(t => t.Average()).ToArray();
    [JsonIgnore] public double[] PassAtK => SampledCorrect.Select(t => t.Average(c => PassAtKFor(c))).ToArray();

    /// <summary>[tier][problem] avg@K per problem (fraction of samples right).</summary>
    [JsonIgnore] public double[][] AvgPerProblem => SampledCorrect.Select(t => t.Select(c => (double)c / Math.Max(1, Samples)).ToArray()).ToArray();

    double PassAtKFor(int correct) => Samples == 0 ? 0 : Evaluation.PassAtK.Estimate(Samples, correct, Samples);

    /// <summary>Scores <paramref name="policy"/> on the first <paramref name="perTier"/> test problems of each tier.</summary>
    public static TierScores Measure(CausalLM policy, IRolloutEnvironment env, IReadOnlyList<int> tiers, int perTier, int maxNewTokens,
        int samples, double temperature, int padTokenId, IReadOnlyList<string> stopStrings)
    {
        var stop = new SamplingOptions { MaxNewTokens = maxNewTokens, EosTokenIds = policy.Config.EosTokenIds, PadTokenId = padTokenId,
            StopStrings = stopStrings, Decode = stopStrings.Count > 0 ? ids => env.Decode(ids).Text : null };
        var greedy = new double[tiers.Count][];
        var sampled = new int[tiers.Count][];
        for (int i = 0; i < tiers.Count; i++)
        {
            var problems = SyntheticArithmetic.TestSet(tiers[i], perTier, seed: 0)
                .Select((p, j) => new TrainingProblem($"t{tiers[i]}-{j}", p.Prompt, p.AnswerText, tiers[i])).ToList();
            greedy[i] = Score(policy, env, problems, stop with { Greedy = true }, 64).Select(c => (double)c).ToArray();
            sampled[i] = samples == 0 ? new int[problems.Count] : Score(policy, env, problems, stop with
            {
                SamplesPerPrompt = samples, Temperature = temperature, Seed = 7919L * tiers[i],
            }, Math.Max(1, 256 / samples));
        }
        return new TierScores([.. tiers], samples, temperature, greedy, sampled);
    }

    /// <summary>Correct answers per problem, <paramref name="batch"/> problems at a time.</summary>
    static int[] Score(CausalLM policy, IRolloutEnvironment env, List<TrainingProblem> problems, SamplingOptions options, int batch)
    {
        var correct = new int[problems.Count];
        for (int start = 0; start < problems.Count; start += batch)
        {
            var chunk = problems.GetRange(start, Math.Min(batch, problems.Count - start));
            foreach (Rollout r in RolloutGenerator.Generate(policy, chunk, env, options with { Seed = options.Seed + start }))
                if (r.Outcome > 0.5) correct[start + r.Group]++;
        }
        return correct;
    }
}
