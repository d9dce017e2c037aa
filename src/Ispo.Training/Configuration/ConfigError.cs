// One configuration problem: where (dotted snake_case path, source line when known) and what was expected.
namespace Ispo.Training.Configuration;

/// <summary>A single error found while binding or validating a configuration.</summary>
/// <param name="Path">Dotted snake_case path, e.g. <c>algorithm.clip.eps_high</c>; empty for the root.</param>
/// <param name="Message">What was wrong and what was expected.</param>
/// <param name="Source">File name, or <c>--set</c> for overrides; null when the value came from a default.</param>
/// <param name="Line">1-based line in <paramref name="Source"/> when known.</param>
public sealed record ConfigError(string Path, string Message, string? Source = null, int? Line = null)
{
    public override string ToString()
    {
        string where = Source is null ? "" : Line is null ? $" ({Source})" : $" ({Source} line {Line})";
        return (Path.Length == 0 ? "" : Path + ": ") + Message + where;
    }
}

/// <summary>Thrown with every error of a configuration at once.</summary>
public sealed class ConfigException(IReadOnlyList<ConfigError> errors)
    : Exception($"{errors.Count} configuration error(s):{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors))
{
    public IReadOnlyList<ConfigError> Errors { get; } = errors;
}
