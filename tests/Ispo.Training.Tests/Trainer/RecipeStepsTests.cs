using Ispo.Algorithms;
using Ispo.Models;
using Ispo.Training.Configuration;
using Ispo.Training.Trainer;

namespace Ispo.Training.Tests.Trainer;

/// <summary>Every shipped recipe trains: two steps on a tiny model with finite losses, every parameter moved, and
/// the metric keys users look for.</summary>
public class RecipeStepsTests
{
    public static IEnumerable<object[]> Recipes() =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "configs"), "*.yaml").Order().Select(f => new object[] { Path.GetFileName(f) });

    static readonly string[] Expected =
    [
        "reward", "reward_std", "frac_reward_zero_std", "entropy", "completions/mean_length", "completions/clipped_ratio",
        "num_tokens", "step_time", "clip_ratio/low_mean", "clip_ratio/high_mean", "clip_ratio/region_mean", "loss", "grad_norm", "learning_rate",
    ];

    /// <summary>DAPO's overlong window, shrunk with max_new_tokens = 8 (its other options as the recipe has them).</summary>
    internal static string[] ShortOverlong(string recipe) =>
        recipe == "dapo.yaml" ? ["algorithm.shapers=[{name: overlong_penalty, cache_length: 4, penalty: 1.0}]"] : [];

    [Theory]
    [MemberData(nameof(Recipes))]
    public void TwoStepsOnATinyModel(string recipe)
    {
        TrainConfig config = TrainConfig.Load(Path.Combine(RepoPaths.Root, "configs", recipe),
            ["data.prompts_per_step=2", "rollout.group_size=4", "rollout.max_new_tokens=8", "optim.lr=0.01", "optim.mini_batch_size=null",
             "optim.grad_accumulation=1", .. ShortOverlong(recipe)]);
        using CausalLM policy = RlTrainerTests.TinyModel();
        var before = policy.named_parameters().ToDictionary(p => p.name, p => p.parameter.detach().clone());
        using var trainer = new RlTrainer(config, policy, () => RlTrainerTests.TinyModel(), new FakeEnvironment(RlTrainerTests.Tiny.VocabSize),
            FakeEnvironment.Problems(6), padTokenId: 0);
        var reports = new[] { trainer.RunStep(), trainer.RunStep() };
        foreach (RlStepReport report in reports)
        {
            Assert.True(double.IsFinite(report.Metrics["loss"]), "loss");
            foreach (string key in Expected) Assert.True(report.Metrics.ContainsKey(key), key);
            if (config.Algorithm.Shapers.Any(c => c.Options is IspoOptions)) Assert.Contains(report.Metrics.Keys, k => k.StartsWith("ispo/critical", StringComparison.Ordinal));
        }
        foreach (var (name, p) in policy.named_parameters())
            Assert.True((p.detach() - before[name]).abs().max().item<float>() > 0, name + " did not change");
    }
}
