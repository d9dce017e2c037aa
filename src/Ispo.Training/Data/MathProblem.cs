// One math problem as every loader produces it: an id, the problem text, the gold answer string and metadata.
namespace Ispo.Training.Data;

/// <summary>A problem with its gold answer. Metadata holds dataset-specific fields (level, subject, answer_type…) as text.</summary>
public sealed record MathProblem(string Id, string Problem, string Answer, IReadOnlyDictionary<string, string> Metadata);
