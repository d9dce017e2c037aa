// Options of one verification: how answers are extracted, compared, and how much work a pair may cost.
using Ispo.MathVerify.Extraction;

namespace Ispo.MathVerify;

/// <summary>Strict: explicit answer markers only (RL rewards). Evaluation: also the last math span and number.</summary>
public enum ExtractionMode { Strict, Evaluation }

/// <summary>Which answers lose their credit when they only restate one of the question's own expressions
/// (QuestionEcho.cs; needs the question): none, those the last resorts found (last math span, last number), or any.</summary>
public enum QuestionEchoScope { None, LastResort, Anywhere }

public sealed record VerifyOptions
{
    public ExtractionMode Mode { get; init; } = ExtractionMode.Strict;

    /// <summary>Extraction rules in priority order; null uses the mode's default order.</summary>
    public IReadOnlyList<ExtractionRule>? Rules { get; init; }

    public EquivalenceOptions Equivalence { get; init; } = EquivalenceOptions.Default;

    /// <summary>Makes the budget of one verification (a budget is single-use: it counts steps and a deadline).</summary>
    public Func<VerifyBudget> Budget { get; init; } = VerifyBudget.Default;

    /// <summary>Where a restated question expression gets no credit; null uses the mode's default: Anywhere in
    /// Strict mode (RL rewards must not pay for copying the question), LastResort in Evaluation mode (a boxed
    /// restatement is credited, as Math-Verify and the other graders do).</summary>
    public QuestionEchoScope? QuestionEcho { get; init; }

    public QuestionEchoScope EffectiveQuestionEcho =>
        QuestionEcho ?? (Mode == ExtractionMode.Strict ? QuestionEchoScope.Anywhere : QuestionEchoScope.LastResort);

    public IReadOnlyList<ExtractionRule> EffectiveRules =>
        Rules ?? (Mode == ExtractionMode.Strict ? ExtractionRules.Strict : ExtractionRules.Evaluation);

    public static VerifyOptions Strict { get; } = new();
    public static VerifyOptions Evaluation { get; } = new() { Mode = ExtractionMode.Evaluation };
}
