// How rollouts are sampled: group size G and the decoding knobs.
namespace Ispo.Training.Configuration;

public sealed record RolloutConfig : IValidatable
{
    /// <summary>G: rollouts per prompt.</summary>
    public int GroupSize { get; init; } = 8;
    public double Temperature { get; init; } = 1.0;
    public double TopP { get; init; } = 1.0;
    /// <summary>0 disables top-k filtering.</summary>
    public int TopK { get; init; }
    public int MaxNewTokens { get; init; } = 1024;
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    public IEnumerable<ConfigError> Validate() => Check.All(
        Check.AtLeast("group_size", GroupSize, 1),
        Check.AtLeast("temperature", Temperature, 0),
        Check.That(TopP is > 0 and <= 1, "top_p", $"expected a value in (0, 1], got {TopP}"),
        Check.AtLeast("top_k", TopK, 0),
        Check.AtLeast("max_new_tokens", MaxNewTokens, 1));
}
