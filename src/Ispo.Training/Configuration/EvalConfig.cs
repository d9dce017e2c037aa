// Periodic evaluation during training: which benchmarks, how often, how decoded.
namespace Ispo.Training.Configuration;

public sealed record EvalConfig : IValidatable
{
    /// <summary>Benchmark names (e.g. <c>synthetic</c>, <c>math500</c>); subsets as <c>name:subset</c>.</summary>
    public IReadOnlyList<string> Benchmarks { get; init; } = ["synthetic"];
    /// <summary>Evaluate every N steps; 0 only at the end.</summary>
    public int Every { get; init; }
    /// <summary>Problems per benchmark (or per synthetic tier); null = all.</summary>
    public int? MaxProblems { get; init; } = 100;
    /// <summary>0 = greedy.</summary>
    public double Temperature { get; init; }
    public int SamplesPerProblem { get; init; } = 1;
    /// <summary>Null: rollout.max_new_tokens.</summary>
    public int? MaxNewTokens { get; init; }

    public IEnumerable<ConfigError> Validate() => Check.All(
        Check.AtLeast("every", Every, 0),
        Check.That(MaxProblems is null or >= 1, "max_problems", $"expected at least 1, got {MaxProblems}"),
        Check.AtLeast("temperature", Temperature, 0),
        Check.AtLeast("samples_per_problem", SamplesPerProblem, 1),
        Check.That(MaxNewTokens is null or >= 1, "max_new_tokens", $"expected at least 1, got {MaxNewTokens}"));
}
