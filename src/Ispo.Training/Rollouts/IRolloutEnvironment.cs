// What the rollout phase needs from the task side: prompt encoding, response decoding with token offsets, and a
// judge (reward function + the extracted answer's position). Kept as an interface so the phase is testable alone.
namespace Ispo.Training.Rollouts;

/// <summary>A training prompt: the problem text shown to the model and the gold answer the verifier compares to.</summary>
public sealed record TrainingProblem(string Id, string Question, string Gold, int Tier = 0);

/// <param name="Score">Outcome reward R_o.</param>
/// <param name="AnswerStart">Character offset in the completion where the final-answer segment starts; null if none.</param>
public sealed record Judgement(double Score, string? Extracted, int? AnswerStart, string Verdict);

/// <param name="Starts">Per token, the offset of its first character in <paramref name="Text"/>.</param>
public sealed record ResponseText(string Text, int[] Starts);

public interface IRolloutEnvironment
{
    int[] EncodePrompt(TrainingProblem problem);
    ResponseText Decode(IReadOnlyList<int> responseTokens);
    string DecodePrompt(IReadOnlyList<int> promptTokens);
    Judgement Judge(string completion, TrainingProblem problem);
}
