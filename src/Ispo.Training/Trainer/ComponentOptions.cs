// Maps the recipe's algorithm section onto the registry's snake_case option settings, component by component.
// Only values the recipe fixes are passed, so each component keeps its own defaults for the rest.
using System.Globalization;
using Ispo.Training.Configuration;

namespace Ispo.Training.Trainer;

internal static class ComponentOptions
{
    public static IReadOnlyDictionary<string, string> Advantage(AlgorithmConfig a) =>
        Settings(("epsilon", a.AdvantageEps), ("scale", Name(a.Scale)));

    public static IReadOnlyDictionary<string, string> Loss(AlgorithmConfig a, RolloutConfig rollout) => Settings(
        ("clip_low", a.Clip.EpsLow),
        ("clip_high", a.Clip.EpsHigh),
        ("dual_clip", a.Clip.DualClipC ?? 0.0),
        ("aggregation", Name(a.Aggregation)),
        ("norm_length", rollout.MaxNewTokens),
        ("kl_coef", a.Kl.InReward ? 0.0 : a.Kl.Coef),
        ("kl_estimator", Name(a.Kl.Estimator)),
        ("entropy_coef", a.EntropyCoef),
        ("mask_truncated", a.MaskTruncated));

    public static IReadOnlyDictionary<string, string> Ispo(IspoConfig i) => Settings(
        ("lambda1", i.Lambda1), ("lambda2", i.Lambda2), ("top_k", i.TopK), ("tau_delta", i.TauDelta),
        ("alpha", i.Alpha), ("beta", i.Beta), ("tau_h", i.TauH), ("critical_set", Name(i.CriticalSet)), ("symmetric", i.Symmetric),
        ("no_answer", Name(i.NoAnswer)));

    public static IReadOnlyDictionary<string, string> Overlong(OverlongConfig o, RolloutConfig rollout) => Settings(
        ("max_length", rollout.MaxNewTokens), ("cache_length", o.BufferLength), ("penalty", o.PenaltyFactor));

    public static IReadOnlyDictionary<string, string> KlPenalty(KlConfig k) => Settings(("coef", k.Coef), ("estimator", Name(k.Estimator)));

    public static IReadOnlyDictionary<string, string> DynamicSampling(DynamicSamplingConfig d) => Settings(("by", Name(d.By)));

    static Dictionary<string, string> Settings(params (string Key, object Value)[] pairs) =>
        pairs.ToDictionary(p => p.Key, p => p.Value switch
        {
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => p.Value.ToString() ?? "",
        });

    static string Name(Enum value) => Algorithms.OptionsBinder.SnakeCase(value.ToString());
}
