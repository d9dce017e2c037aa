// One sampled rollout as written to samples.jsonl, with its reward breakdown.
namespace Ispo.Training.Runs;

/// <param name="Step">Training step.</param>
/// <param name="Group">Prompt index within the step.</param>
/// <param name="Prompt">Prompt text as given to the model.</param>
/// <param name="Completion">Generated text.</param>
/// <param name="Gold">Reference answer.</param>
/// <param name="Extracted">Answer the verifier extracted, if any.</param>
/// <param name="Reward">Final (composite) reward.</param>
/// <param name="Advantage">Advantage broadcast to the rollout's tokens.</param>
/// <param name="Rewards">Breakdown, e.g. outcome, ifd, token_reward, overlong.</param>
/// <param name="Truncated">Stopped by the token budget rather than EOS/stop string.</param>
public sealed record RolloutSample(
    int Step, int Group, string Prompt, string Completion, string? Gold, string? Extracted,
    double Reward, double Advantage, IReadOnlyDictionary<string, double> Rewards, bool Truncated);
