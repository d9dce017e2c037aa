// Verifies a model completion against a gold answer: extract → normalise → compare, within one budget.
using Ispo.MathVerify.Extraction;
using Ispo.MathVerify.Normalization;

namespace Ispo.MathVerify;

public static class MathVerifier
{
    /// <summary>Extracts the final answer from <paramref name="completion"/> and compares it with
    /// <paramref name="gold"/> (an answer; a \boxed{} or $…$ in it is unwrapped first). Given the
    /// <paramref name="question"/>, an answer that only restates one of its expressions gets no credit
    /// (<see cref="VerifyReason.QuestionEcho"/>, within <see cref="VerifyOptions.QuestionEcho"/>'s scope).</summary>
    public static VerifyResult Verify(string completion, string gold, VerifyOptions? options = null, string? question = null)
    {
        options ??= VerifyOptions.Strict;
        ExtractedAnswer? answer = AnswerExtractor.Extract(completion, options.EffectiveRules);
        return answer is null ? new VerifyResult(VerifyReason.NoAnswer, null) : Compare(answer, gold, options, question);
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

    static VerifyResult Compare(ExtractedAnswer answer, string gold, VerifyOptions options, string? question = null)
    {
        VerifyBudget budget = options.Budget();
        string? normalizedGold = null, normalizedPred = null;
        try
        {
            if (NamedValues.Of(GoldAnswers.Unwrap(gold)) is { } named && CompareNamed(named, answer.Text, options, budget) is { } reason1)
                return new VerifyResult(reason1, answer);
            normalizedGold = Normalize(GoldAnswers.Unwrap(gold), budget);
            normalizedPred = Normalize(answer.Text, budget);
            VerifyReason reason = normalizedGold.Length == 0 ? VerifyReason.UnparseableGold
                : normalizedPred.Length == 0 ? VerifyReason.UnparseablePred
                : string.Equals(normalizedGold, normalizedPred, StringComparison.Ordinal) ? VerifyReason.Equal
                : ToReason(MathEquivalence.Compare(normalizedGold, normalizedPred, options.Equivalence, budget));
            if (reason == VerifyReason.Equal && question is not null && QuestionEcho.Refuses(question, answer, normalizedPred, normalizedGold, options))
                reason = VerifyReason.QuestionEcho;
            return new VerifyResult(reason, answer, normalizedPred, normalizedGold);
        }
        catch (BudgetExceededException)
        {
            return new VerifyResult(VerifyReason.BudgetExceeded, answer, normalizedPred, normalizedGold);
        }
    }

    /// <summary>A gold naming several values against a prediction that names the same ones (compared name by name)
    /// or lists as many values (compared in order); null when the prediction is neither, for the usual comparison.
    /// "a = 3, b = 5" is not "a = 5, b = 3", though both are the set {3, 5}.</summary>
    static VerifyReason? CompareNamed(IReadOnlyList<(string Name, string Value)> gold, string pred, VerifyOptions options, VerifyBudget budget)
    {
        IReadOnlyList<string>? values = NamedValues.Of(pred) is { } predNamed
            ? (predNamed.Count == gold.Count ? gold.Select(g => predNamed.FirstOrDefault(p => p.Name == g.Name).Value).ToList() : null)
            : NamedValues.Items(pred) is { Count: > 1 } items && items.Count == gold.Count && !pred.Contains('=') ? items : null;
        if (values is null) return null;
        for (int i = 0; i < gold.Count; i++)
        {
            if (values[i] is null) return VerifyReason.NotEqual;
            string g = Normalize(gold[i].Value, budget), p = Normalize(values[i], budget);
            if (g.Length == 0) return VerifyReason.UnparseableGold;
            if (p.Length == 0) return VerifyReason.UnparseablePred;
            if (g == p) continue;
            VerifyReason reason = ToReason(MathEquivalence.Compare(g, p, options.Equivalence, budget));
            if (reason != VerifyReason.Equal) return reason;
        }
        return VerifyReason.Equal;
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
