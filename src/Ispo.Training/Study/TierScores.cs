// Held-out scores of one policy on the synthetic tiers, problem by problem, so methods can be compared pairwise:
// greedy correctness, and the number of correct answers among K samples (avg@K and unbiased pass@K come from it).
// Each tier is a benchmark of the one evaluator (`ispo eval`'s), set to draw and grade as the study always has.
using System.Text.Json.Serialization;
using Ispo.MathVerify;
using Ispo.Models.Pretrained;
using Ispo.Training.Configuration;
using Ispo.Training.Data;
using Ispo.Training.Evaluation;
using Ispo.Training.Prompts;
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
    public static TierScores Measure(LoadedModel policy, TrainConfig config, IReadOnlyList<int> tiers, int perTier, int samples, double temperature,
        IReadOnlyList<string> stopStrings) =>
        From(tiers, samples, temperature, Grade(policy, config, tiers, perTier, samples, temperature, stopStrings));

    /// <summary>The scores of graded completions (see <see cref="Grade"/>): one greedy completion per problem.</summary>
    public static TierScores From(IReadOnlyList<int> tiers, int samples, double temperature,
        (IReadOnlyList<SampleRecord>[] Greedy, IReadOnlyList<SampleRecord>[] Sampled) graded) =>
        new([.. tiers], samples, temperature,
            [.. graded.Greedy.Select(records => CorrectPerProblem(records, records.Count).Select(c => (double)c).ToArray())],
            [.. graded.Sampled.Select((records, i) => CorrectPerProblem(records, graded.Greedy[i].Count))]);

    /// <summary>Every graded completion, by tier: greedy, and K samples at <paramref name="temperature"/> (none when
    /// <paramref name="samples"/> is 0). The study's draws: the recipe's template and chat format, the given stop
    /// strings, graded by the reward's own check; greedy in batches of 64 problems; K samples in batches of 256/K
    /// problems, one stream per batch seeded 7919·tier + the batch's first problem.</summary>
    public static (IReadOnlyList<SampleRecord>[] Greedy, IReadOnlyList<SampleRecord>[] Sampled) Grade(LoadedModel policy, TrainConfig config,
        IReadOnlyList<int> tiers, int perTier, int samples, double temperature, IReadOnlyList<string> stopStrings)
    {
        var generation = new GenerationSettings
        {
            MaxNewTokens = config.Eval.MaxNewTokens ?? config.Rollout.MaxNewTokens, ChatFormat = config.Data.ChatFormat, StopStrings = stopStrings,
            Seeding = SampleSeeding.PerBatch,
        };
        var options = new EvalOptions { Template = PromptTemplates.Get(config.Data.Template), ProblemsPerBatch = 64 };
        var greedy = new IReadOnlyList<SampleRecord>[tiers.Count];
        var sampled = new IReadOnlyList<SampleRecord>[tiers.Count];
        for (int i = 0; i < tiers.Count; i++)
        {
            Dataset benchmark = Benchmark(tiers[i], perTier);
            greedy[i] = Evaluate(policy, generation, options, benchmark);
            sampled[i] = samples == 0 ? [] : Evaluate(policy, generation with { SamplesPerProblem = samples, Temperature = temperature, Seed = 7919L * tiers[i] },
                options with { SamplesPerProblem = samples, ProblemsPerBatch = Math.Max(1, 256 / samples) }, benchmark);
        }
        return (greedy, sampled);
    }

    /// <summary>The first <paramref name="count"/> test problems of <paramref name="tier"/>, as benchmark synthetic-tier&lt;tier&gt;.</summary>
    public static Dataset Benchmark(int tier, int count) => new($"synthetic-tier{tier}", [.. SyntheticArithmetic.TestSet(tier, count, seed: 0)
        .Select((p, j) => new MathProblem($"t{tier}-{j}", p.Prompt, p.AnswerText, new Dictionary<string, string>()))]);

    static IReadOnlyList<SampleRecord> Evaluate(LoadedModel policy, GenerationSettings generation, EvalOptions options, Dataset benchmark) =>
        new Evaluator(new SamplerCompletionGenerator(policy, generation), MathVerifyAnswer.Create(ExtractionMode.Strict), options).Run([benchmark]).Samples;

    static int[] CorrectPerProblem(IReadOnlyList<SampleRecord> records, int problems)
    {
        var correct = new int[problems];
        foreach (SampleRecord r in records)
            if (r.Correct) correct[r.ProblemIndex]++;
        return correct;
    }
}
