// The study's tier scores through the evaluator reproduce, completion for completion, what the study's own scoring
// loop drew before the two evaluation paths became one (Fixtures/tier-scores-reference.json says how it was made).
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Ispo.Models.Pretrained;
using Ispo.Training.Configuration;
using Ispo.Training.Evaluation;
using Ispo.Training.Study;
using static TorchSharp.torch;

namespace Ispo.Training.Tests.Study;

public class TierScoresTests
{
    static readonly JsonNode Reference = JsonNode.Parse(File.ReadAllText(
        Path.Combine(RepoPaths.Root, "tests", "Ispo.Training.Tests", "Study", "Fixtures", "tier-scores-reference.json")))!;

    [Fact]
    public void The_study_draws_and_grades_every_completion_as_the_recorded_reference()
    {
        int[] tiers = [.. Reference["tiers"]!.AsArray().Select(t => t!.GetValue<int>())];
        int perTier = Reference["per_tier"]!.GetValue<int>(), samples = Reference["samples"]!.GetValue<int>();
        double temperature = Reference["temperature"]!.GetValue<double>();
        using var dir = new TempDir();
        ModelInit.Create(ModelInit.Preset("tiny"), dir.Path, seed: 11);
        using LoadedModel policy = LoadedModel.LoadPretrained(dir.Path);
        using (no_grad())
            foreach (var p in policy.Model.parameters()) p.mul_(4); // sharper logits: greedy completions differ between prompts
        TrainConfig config = ConfigBinder.Bind<TrainConfig>(StudyRunner.BuiltInRecipe(), "configs/study.yaml",
            ["model.threads=1", $"rollout.max_new_tokens={Reference["max_new_tokens"]}"]);

        var graded = TierScores.Grade(policy, config, tiers, perTier, samples, temperature, config.Rollout.StopStrings);
        TierScores scores = TierScores.From(tiers, samples, temperature, graded);

        Assert.Equal(Grid<string>("greedy_digest"), graded.Greedy.Select(Digests).ToArray());
        Assert.Equal(Grid<string>("sampled_digest"), graded.Sampled.Select(Digests).ToArray());
        Assert.Equal(Grid<double>("greedy"), scores.Greedy);
        Assert.Equal(Grid<int>("sampled_correct"), scores.SampledCorrect);
    }

    static T[][] Grid<T>(string key) => [.. Reference[key]!.AsArray().Select(row => row!.AsArray().Select(v => v!.GetValue<T>()).ToArray())];

    /// <summary>Per problem, the digest of its samples in order (as the fixture's note describes).</summary>
    static string[] Digests(IReadOnlyList<SampleRecord> records) =>
        [.. records.GroupBy(r => r.ProblemIndex).OrderBy(g => g.Key).Select(g => Digest(g.OrderBy(r => r.SampleIndex).Select(r => (r.Length, r.Completion))))];

    static string Digest(IEnumerable<(int Tokens, string Text)> samples)
    {
        var text = new StringBuilder();
        foreach (var (tokens, s) in samples) text.Append(tokens).Append('\u0001').Append(s).Append('\u0002');
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..16].ToLowerInvariant();
    }
}
