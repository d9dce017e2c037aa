// Verifies a model completion against a gold answer: extract → normalise → compare, within one budget.
using Ispo.MathVerify.Extraction;
using Ispo.MathVerify.Normalization;

namespace Ispo.MathVerify;

public static class MathVerifier
{
    /// <summary>Extracts the final answer from <paramref name="completion"/> and compares it with
    /// <paramref name="gold"/> (an answer; a \boxed{} or $…$ in it is unwrapped first).</summary>
    public static VerifyResult Verify(string completion, string gold, VerifyOptions? options = null)
    {
        options ??= VerifyOptions.Strict;
        ExtractedAnswer? answer = AnswerExtractor.Extract(completion, options.EffectiveRules);
        return answer is null ? new VerifyResult(VerifyReason.NoAnswer, null) : Compare(answer, gold, options);
    }

    /// <summary>Compares an answer (no extraction; a \boxed{} or $…$ in it is unwrapped like a gold's) with
    /// <paramref name="gold"/>.</summary>
    public static VerifyResult VerifyAnswer(string answer, string gold, VerifyOptions? options = null)
    {
        string text = GoldAnswers.Unwrap(answer);
        return text.Length == 0
            ? new VerifyResult(VerifyReason.NoAnswer, null)
            : Compare(new ExtractedAnswer(text, 0, answer.Length, 0, ExtractionRule.Boxed), gold, options ?? VerifyOptions.Strict);
    }

    static VerifyResult Compare(ExtractedAnswer answer, string gold, VerifyOptions options)
    {
        VerifyBudget budget = options.Budget();
        string? normalizedGold = null, normalizedPred = null;
        try
        {
            normalizedGold = Normalize(GoldAnswers.Unwrap(gold), budget);
            normalizedPred = Normalize(answer.Text, budget);
            VerifyReason reason = normalizedGold.Length == 0 ? VerifyReason.UnparseableGold
                : normalizedPred.Length == 0 ? VerifyReason.UnparseablePred
                : string.Equals(normalizedGold, normalizedPred, StringComparison.Ordinal) ? VerifyReason.Equal
                : ToReason(MathEquivalence.Compare(normalizedGold, normalizedPred, options.Equivalence, budget));
            return new VerifyResult(reason, answer, normalizedPred, normalizedGold);
        }
        catch (BudgetExceededException)
        {
            return new VerifyResult(VerifyReason.BudgetExceeded, answer, normalizedPred, normalizedGold);
        }
    }

    static string Normalize(string text, VerifyBudget budget)
    {
        budget.CheckLength(text.Length);
        budget.Step(text.Length / 64 + 1);
        return AnswerNormalizer.Normalize(text, budget.MaxDepth);
    }

    static VerifyReason ToReason(EquivalenceOutcome outcome) => outcome switch
    {
        EquivalenceOutcome.Equal => VerifyReason.Equal,
        EquivalenceOutcome.NotEqual => VerifyReason.NotEqual,
        EquivalenceOutcome.UnparseableGold => VerifyReason.UnparseableGold,
        EquivalenceOutcome.UnparseablePred => VerifyReason.UnparseablePred,
        EquivalenceOutcome.BudgetExceeded => VerifyReason.BudgetExceeded,
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, "unknown equivalence outcome"),
    };
}
