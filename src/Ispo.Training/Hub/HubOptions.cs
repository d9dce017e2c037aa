// Where the Hub is (HF_ENDPOINT, for mirrors), the token for gated repos (HF_TOKEN), and the download cache.
namespace Ispo.Training.Hub;

public sealed record HubOptions
{
    public const string DefaultEndpoint = "https://huggingface.co";
    public const string TokenVariable = "HF_TOKEN", EndpointVariable = "HF_ENDPOINT";

    public string Endpoint { get; init; } = DefaultEndpoint;
    public string? Token { get; init; }
    /// <summary>Downloads land in CacheDir/{models|datasets}/{owner}--{name}/{revision}/{path}.</summary>
    public string CacheDir { get; init; } = DefaultCacheDir();

    /// <summary>Options from HF_ENDPOINT, HF_TOKEN and ISPO_CACHE (default ~/.cache/ispo/hub); arguments win.</summary>
    public static HubOptions FromEnvironment(string? cacheDir = null, string? endpoint = null) => new()
    {
        Endpoint = endpoint ?? NonEmpty(Environment.GetEnvironmentVariable(EndpointVariable)) ?? DefaultEndpoint,
        Token = NonEmpty(Environment.GetEnvironmentVariable(TokenVariable)),
        CacheDir = cacheDir ?? DefaultCacheDir(),
    };

    static string DefaultCacheDir() =>
        NonEmpty(Environment.GetEnvironmentVariable("ISPO_CACHE"))
        ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "ispo", "hub");

    static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}

/// <summary>A Hub failure with a message saying what to do (set HF_TOKEN, check the name, run again to resume…).</summary>
public sealed class HubException(string message, Exception? inner = null) : Exception(message, inner);
