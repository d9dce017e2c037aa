// What the evaluator needs from a sampler: completions for prompts, several per prompt. The integrator adapts the
// real sampler (chat format, tokenizer, temperature/top-p, greedy when one sample) to this interface.
using Ispo.Training.Prompts;

namespace Ispo.Training.Evaluation;

/// <summary>A generated completion; TokenCount is its length in tokens, Truncated when it hit the token limit.</summary>
public sealed record Completion(string Text, int TokenCount, bool Truncated = false);

/// <summary>
/// Generate one completion per entry of <paramref name="SampleIndices"/> for one problem. The indices let a sampler
/// seed per (problem, sample) so a resumed evaluation draws the same samples as an uninterrupted one.
/// </summary>
public sealed record GenerationRequest(string Benchmark, int ProblemIndex, RenderedPrompt Prompt, IReadOnlyList<int> SampleIndices);

public interface ICompletionGenerator
{
    /// <summary>Result[i][j] is the completion for requests[i].SampleIndices[j].</summary>
    IReadOnlyList<IReadOnlyList<Completion>> Generate(IReadOnlyList<GenerationRequest> requests, CancellationToken cancellationToken);
}

/// <summary>Grades one completion against a gold answer (see MathVerifyAnswer.Create for the real one); the question
/// lets the verifier refuse an answer that only restates it.</summary>
public delegate AnswerVerdict VerifyAnswer(string completion, string gold, string? question, AnswerFormat answerFormat);

/// <summary>Extracted is null when no answer was found; Reason is the verifier's why (e.g. "not_equal"), if it says.</summary>
public sealed record AnswerVerdict(string? Extracted, bool Correct, string? Reason = null);
