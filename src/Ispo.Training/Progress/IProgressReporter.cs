// How a long job (SFT, RL, evaluation) shows its progress: a live display on a terminal, log lines otherwise.
namespace Ispo.Training.Progress;

public interface IProgressReporter : IDisposable
{
    /// <summary>The current phase within a step (e.g. <c>sampling</c>, <c>scoring</c>, <c>update</c>).</summary>
    void Phase(string phase);

    /// <summary>A finished step's headline numbers.</summary>
    void Step(ProgressSnapshot snapshot);

    /// <summary>A free-form event worth a line of its own (evaluation results, a skipped NaN update, a checkpoint).</summary>
    void Log(string message);
}

/// <param name="Step">Steps completed so far (absolute, counting resumed ones).</param>
/// <param name="TotalSteps">Steps the run will take.</param>
/// <param name="StepsThisSession">Steps completed since this process started (for the ETA).</param>
/// <param name="Elapsed">Wall time since this process started.</param>
/// <param name="Reward">Mean reward of the last step.</param>
/// <param name="ZeroAdvantageFraction">Fraction of the last step's groups with zero reward spread.</param>
/// <param name="TokensPerSecond">Generated tokens per second in the last step.</param>
/// <param name="Extra">Any other numbers to show (e.g. loss, accuracy).</param>
/// <param name="Run">The run's name, shown when several runs step in turn (the demo's GRPO and ISPO).</param>
public sealed record ProgressSnapshot(
    int Step, int TotalSteps, int StepsThisSession, TimeSpan Elapsed,
    double? Reward = null, double? ZeroAdvantageFraction = null, double? TokensPerSecond = null,
    IReadOnlyDictionary<string, double>? Extra = null, string? Run = null)
{
    /// <summary>Remaining time at this session's mean step time; null before the first step.</summary>
    public TimeSpan? Eta => StepsThisSession <= 0 ? null
        : TimeSpan.FromSeconds(Elapsed.TotalSeconds / StepsThisSession * Math.Max(0, TotalSteps - Step));

    /// <summary><c>step 12/200 | reward 0.412 | zero-adv 0.25 | 1234 tok/s | eta 0:10:12</c> (<c>ispo step 12/200 | …</c>
    /// with a run name).</summary>
    public string ToLine()
    {
        var parts = new List<string> { (Run is null ? "" : Run + " ") + $"step {Step}/{TotalSteps}" };
        if (Reward is { } r) parts.Add($"reward {r:0.###}");
        if (ZeroAdvantageFraction is { } z) parts.Add($"zero-adv {z:0.##}");
        if (TokensPerSecond is { } t) parts.Add($"{t:0} tok/s");
        foreach (var (k, v) in Extra ?? new Dictionary<string, double>()) parts.Add($"{k} {v:0.####}");
        if (Eta is { } eta) parts.Add($"eta {eta:h\\:mm\\:ss}");
        return string.Join(" | ", parts);
    }
}
