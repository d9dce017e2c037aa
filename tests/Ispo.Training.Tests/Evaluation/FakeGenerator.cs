using Ispo.Training.Evaluation;
using Ispo.Training.Prompts;

namespace Ispo.Training.Tests.Evaluation;

/// <summary>
/// A deterministic stand-in for the sampler: sample s of problem p is "right" unless (p + s) % 3 == 0, and has no
/// answer when (p + s) % 5 == 0; its length is p + s. Can be told to fail after some calls (an interruption).
/// </summary>
sealed class FakeGenerator(int failAfterCalls = int.MaxValue) : ICompletionGenerator
{
    public int Calls { get; private set; }
    public int CompletionsGenerated { get; private set; }
    public List<GenerationRequest> Requests { get; } = [];

    public IReadOnlyList<IReadOnlyList<Completion>> Generate(IReadOnlyList<GenerationRequest> requests, CancellationToken cancellationToken)
    {
        if (Calls++ >= failAfterCalls)
            throw new OperationCanceledException("simulated interruption");
        Requests.AddRange(requests);
        CompletionsGenerated += requests.Sum(r => r.SampleIndices.Count);
        return requests.Select(r => (IReadOnlyList<Completion>)r.SampleIndices.Select(s => Make(r.ProblemIndex, s)).ToList()).ToList();
    }

    static Completion Make(int p, int s)
    {
        string text = (p + s) % 5 == 0 ? "I give up" : (p + s) % 3 == 0 ? "so \\boxed{wrong}" : "so \\boxed{right}";
        return new Completion(text, p + s, Truncated: (p + s) % 7 == 6);
    }

    /// <summary>The matching verifier: the boxed text is the answer, "right" is correct.</summary>
    public static AnswerVerdict Verify(string completion, string gold, string? question, AnswerFormat format)
    {
        int open = completion.IndexOf('{');
        string? extracted = open < 0 ? null : completion[(open + 1)..^1];
        return new AnswerVerdict(extracted, extracted == "right");
    }
}
