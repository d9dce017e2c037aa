// Range and consistency checks a configuration record runs after binding.
namespace Ispo.Training.Configuration;

/// <summary>
/// Implemented by configuration records that check their own values. Return one <see cref="ConfigError"/> per
/// problem, with <see cref="ConfigError.Path"/> relative to this record (e.g. <c>eps_high</c>, or
/// <c>clip.eps_high</c> for a cross-section check); the binder prefixes the record's own path and adds line numbers.
/// </summary>
public interface IValidatable
{
    IEnumerable<ConfigError> Validate();
}

/// <summary>Small helpers for writing <see cref="IValidatable.Validate"/> as a list of one-line checks.</summary>
public static class Check
{
    public static ConfigError? Range(string key, double value, double min, double max) =>
        value >= min && value <= max ? null : new ConfigError(key, $"expected a value in [{F(min)}, {F(max)}], got {F(value)}");

    public static ConfigError? AtLeast(string key, double value, double min) =>
        value >= min ? null : new ConfigError(key, $"expected a value >= {F(min)}, got {F(value)}");

    public static ConfigError? Positive(string key, double value) =>
        value > 0 ? null : new ConfigError(key, $"expected a value > 0, got {F(value)}");

    public static ConfigError? That(bool ok, string key, string message) => ok ? null : new ConfigError(key, message);

    /// <summary>Drops the passing checks (nulls).</summary>
    public static IEnumerable<ConfigError> All(params ConfigError?[] checks) => checks.OfType<ConfigError>();

    static string F(double v) => v.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}
