// Which fields of a raw row hold the problem, the gold answer, the id and the metadata of a dataset.
namespace Ispo.Training.Data;

/// <summary>How to read a gold answer: a field as is, the last \boxed{} of a field, or GSM8K's "#### N".</summary>
public enum AnswerSource { Field, LastBoxed, Gsm8k }

/// <summary>One way to find the gold answer; <paramref name="Field"/> may be a dotted path ("reward_model.ground_truth").</summary>
public sealed record AnswerRule(AnswerSource Source, string Field)
{
    public override string ToString() => Source switch
    {
        AnswerSource.LastBoxed => $"last \\boxed{{}} of {Field}",
        AnswerSource.Gsm8k => $"'####' line of {Field}",
        _ => Field,
    };
}

/// <summary>
/// Field mapping; the first field present wins. The defaults read most published math sets:
/// problem | question | prompt, and answer | final_answer | reward_model.ground_truth | last \boxed{} of solution.
/// </summary>
public sealed record FieldMapping
{
    public IReadOnlyList<string> ProblemFields { get; init; } = ["problem", "question", "prompt"];
    public IReadOnlyList<AnswerRule> AnswerRules { get; init; } =
    [
        new(AnswerSource.Field, "answer"), new(AnswerSource.Field, "final_answer"),
        new(AnswerSource.Field, "reward_model.ground_truth"), new(AnswerSource.LastBoxed, "solution"),
    ];
    public IReadOnlyList<string> IdFields { get; init; } = ["unique_id", "id", "idx", "extra_info.index"];
    public IReadOnlyList<string> MetadataFields { get; init; } =
        ["level", "subject", "type", "subfield", "answer_type", "unit", "is_multiple_answer", "source", "data_source", "solution"];
    /// <summary>Rewrites the problem text after reading (e.g. strips DAPO's instruction wrapper).</summary>
    public Func<string, string> ProblemTransform { get; init; } = text => text;

    /// <summary>Keep only the first row of each distinct problem text (DAPO-Math-17k repeats every prompt).</summary>
    public bool DropDuplicateProblems { get; init; }

    public static FieldMapping Default { get; } = new();
}
