// The extraction rules, in the default order of priority; VerifyOptions holds the order actually used.
namespace Ispo.MathVerify.Extraction;

public enum ExtractionRule
{
    /// <summary>Minerva form: "final answer is $X$. I hope ...".</summary>
    MinervaFinalAnswer,
    /// <summary>The last \boxed{X} / \fbox{X} (several on the final line form a list).</summary>
    Boxed,
    /// <summary>The last line starting with "Answer:" (DAPO prompt format).</summary>
    AnswerLine,
    /// <summary>"final answer is X" / "the answer is X".</summary>
    AnswerPhrase,
    /// <summary>Last resort: the last inline math span ($…$, \(…\), \[…\]).</summary>
    LastMath,
    /// <summary>Last resort: the last number in the text.</summary>
    LastNumber,
}

public static class ExtractionRules
{
    /// <summary>Strict mode (RL rewards): only explicit answer markers.</summary>
    public static readonly IReadOnlyList<ExtractionRule> Strict =
        [ExtractionRule.MinervaFinalAnswer, ExtractionRule.Boxed, ExtractionRule.AnswerLine, ExtractionRule.AnswerPhrase];

    /// <summary>Evaluation mode: the strict rules, then the last math span and the last number.</summary>
    public static readonly IReadOnlyList<ExtractionRule> Evaluation =
        [.. Strict, ExtractionRule.LastMath, ExtractionRule.LastNumber];
}
