// Options for batched generation; every default lives here.
namespace Ispo.Models.Sampling;

public sealed record SamplingOptions
{
    /// <summary>G: samples drawn per prompt (rows p·G … p·G+G−1 come from prompt p).</summary>
    public int SamplesPerPrompt { get; init; } = 1;
    public int MaxNewTokens { get; init; } = 64;
    /// <summary>Sampling temperature; 0 means greedy.</summary>
    public double Temperature { get; init; } = 1.0;
    /// <summary>Keep only the k most likely tokens; 0 = off.</summary>
    public int TopK { get; init; }
    /// <summary>Nucleus sampling mass; 1 = off.</summary>
    public double TopP { get; init; } = 1.0;
    public bool Greedy { get; init; }
    public IReadOnlyList<int> EosTokenIds { get; init; } = [];
    /// <summary>Generation stops once the decoded completion contains one of these (needs <see cref="Decode"/>).</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];
    /// <summary>Token ids → text, used only for stop strings.</summary>
    public Func<IReadOnlyList<int>, string>? Decode { get; init; }
    public long Seed { get; init; }
    /// <summary>Temperature of the distribution whose log-probs and entropies are reported (before top-k/top-p).</summary>
    public double LogProbTemperature { get; init; } = 1.0;
    /// <summary>Token id written into left padding (masked out, so any id works).</summary>
    public int PadTokenId { get; init; }

    public bool IsGreedy => Greedy || Temperature == 0;

    public SamplingOptions Validate()
    {
        Require(SamplesPerPrompt >= 1, "SamplesPerPrompt", ">= 1");
        Require(MaxNewTokens >= 1, "MaxNewTokens", ">= 1");
        Require(Temperature >= 0 && double.IsFinite(Temperature), "Temperature", ">= 0");
        Require(TopK >= 0, "TopK", ">= 0");
        Require(TopP > 0 && TopP <= 1, "TopP", "in (0, 1]");
        Require(LogProbTemperature > 0, "LogProbTemperature", "> 0");
        Require(StopStrings.Count == 0 || Decode is not null, "Decode", "set when StopStrings are given");
        Require(StopStrings.All(s => s.Length > 0), "StopStrings", "non-empty strings");
        return this;

        static void Require(bool ok, string field, string expected)
        {
            if (!ok) throw new ArgumentException($"sampling option {field} must be {expected}");
        }
    }
}
