// What the rollout phase needs from the task side: prompt encoding, response decoding with token offsets, and a
// judge (reward function + the extracted answer's position). Kept as an interface so the phase is testable alone.
namespace Ispo.Training.Rollouts;

/// <summary>A training prompt: the problem text shown to the model and the gold answer the verifier compares to.</summary>
public sealed record TrainingProblem(string Id, string Question, string Gold, int Tier = 0);

/// <param name="Score">Outcome reward R_o.</param>
/// <param name="AnswerStart">Character offset in the completion where the final-answer segment starts; null if none.</param>
/// <param name="ContentStart">Character offset of the extracted answer's content (e.g. inside the last \boxed{…}); null if none.</param>
/// <param name="ContentLength">Length of that content in the completion.</param>
public sealed record Judgement(double Score, string? Extracted, int? AnswerStart, int? ContentStart = null, int ContentLength = 0);

/// <param name="Starts">Per token, the offset of its first character in <paramref name="Text"/>.</param>
/// <param name="Ends">Per token, the end of its text (a token holding some bytes of a character spans that character);
/// null: each token's text ends where the next one's starts.</param>
public sealed record ResponseText(string Text, int[] Starts, int[]? Ends = null);

public interface IRolloutEnvironment
{
    int[] EncodePrompt(TrainingProblem problem);
    ResponseText Decode(IReadOnlyList<int> responseTokens);
    string DecodePrompt(IReadOnlyList<int> promptTokens);
    Judgement Judge(string completion, TrainingProblem problem);
}
