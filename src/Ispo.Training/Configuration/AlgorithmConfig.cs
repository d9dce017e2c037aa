// The RL objective as named components, each with its own options (`ispo config components` lists them): an
// advantage estimator, a policy loss, reward shapers chained after the outcome reward, and an optional group filter.
using Ispo.Algorithms;

namespace Ispo.Training.Configuration;

[RetiredKey("scale", "write advantage: {name: grpo, scale: group|batch|none}")]
[RetiredKey("advantage_eps", "write advantage: {name: grpo, epsilon: …}")]
[RetiredKey("clip", "write loss: {name: clipped, clip_low: …, clip_high: …, dual_clip: …} (dual_clip 0 turns it off)")]
[RetiredKey("aggregation", "write loss: {name: clipped, aggregation: …}")]
[RetiredKey("entropy_coef", "write loss: {name: clipped, entropy_coef: …}")]
[RetiredKey("mask_truncated", "write loss: {name: clipped, mask_truncated: true}")]
[RetiredKey("kl", "write loss: {name: clipped, kl_coef: …, kl_estimator: k1|k2|k3}, or for KL in the reward shapers: [{name: kl_penalty, coef: …, estimator: …}]")]
[RetiredKey("ispo", "write shapers: [{name: ispo, lambda1: …, lambda2: …, …}] (listed means enabled)")]
[RetiredKey("overlong", "write shapers: [{name: overlong_penalty, cache_length: …, penalty: …}] (buffer_length is cache_length, penalty_factor is penalty)")]
[RetiredKey("dynamic_sampling", "write filter: {name: dynamic_sampling, by: outcome|reward, max_rounds: …}")]
public sealed record AlgorithmConfig
{
    public ComponentChoice<IAdvantageEstimator> Advantage { get; init; } = new("grpo");
    public ComponentChoice<IPolicyLoss> Loss { get; init; } = new("clipped");
    /// <summary>Applied in order, starting from the outcome reward.</summary>
    public IReadOnlyList<ComponentChoice<IRewardShaper>> Shapers { get; init; } = [];
    /// <summary>Null: every group is trained on.</summary>
    public ComponentChoice<IGroupFilter>? Filter { get; init; }

    /// <summary>Builds every component once with the recipe's context: their constructors check their options.</summary>
    public IEnumerable<ConfigError> Check(ComponentContext context)
    {
        var components = new List<(string Path, Action Build)>
        {
            ("advantage", () => Advantage.Create(context)),
            ("loss", () => Loss.Create(context)),
        };
        components.AddRange(Shapers.Select((s, i) => ($"shapers[{i}]", (Action)(() => s.Create(context)))));
        if (Filter is { } filter) components.Add(("filter", () => filter.Create(context)));
        foreach (var (path, build) in components)
        {
            string? error = null;
            try { build(); }
            catch (ArgumentException e) { error = e.Message; }
            if (error is not null) yield return new ConfigError(path, error);
        }
    }
}
