// One generated completion with the per-token statistics the trainer needs.
namespace Ispo.Models.Sampling;

public enum FinishReason { Eos, Stop, Length }

/// <param name="PromptIndex">Index of the prompt this row was sampled from.</param>
/// <param name="TokenIds">Generated tokens (an EOS that ended the row is included).</param>
/// <param name="LogProbs">log p(token) under the model at LogProbTemperature, before top-k/top-p.</param>
/// <param name="Entropies">Entropy of that full distribution at each generated position (nats).</param>
public sealed record Sample(int PromptIndex, int[] TokenIds, float[] LogProbs, float[] Entropies, FinishReason FinishReason);
