// Decides whether a normalised predicted answer equals a normalised gold answer (rules in VERIFIER.md).
using Ispo.MathVerify.Parsing;

namespace Ispo.MathVerify;

public static class MathEquivalence
{
    /// <summary>Compares two answers the front end has already extracted and normalised. Never throws for any
    /// input: budget exhaustion (steps, time, length, nesting, huge numbers) is reported as BudgetExceeded. Only
    /// invalid options throw (ArgumentOutOfRangeException naming the field).</summary>
    public static EquivalenceOutcome Compare(string normalizedGold, string normalizedPred, EquivalenceOptions options, VerifyBudget budget)
    {
        options.Validate();
        try
        {
            budget.CheckLength(normalizedGold.Length);
            budget.CheckLength(normalizedPred.Length);
            if (SameIgnoringWhitespace(normalizedGold, normalizedPred)) return normalizedGold.AsSpan().Trim().IsEmpty
                ? EquivalenceOutcome.UnparseableGold : EquivalenceOutcome.Equal;
            if (TextAnswer.IsLetters(normalizedGold) && TextAnswer.IsLetters(normalizedPred) && TextAnswer.Equal(normalizedGold, normalizedPred))
                return EquivalenceOutcome.Equal; // "No" vs "no": words, whatever the parser would make of them
            var gold = ParseAnswer(normalizedGold, budget);
            if (gold is null) return TextAnswer.Equal(normalizedGold, normalizedPred) ? EquivalenceOutcome.Equal : EquivalenceOutcome.UnparseableGold;
            var pred = ParseAnswer(normalizedPred, budget);
            if (pred is null) return gold is Text || TextAnswer.Equal(normalizedGold, normalizedPred) ? EquivalenceOutcome.NotEqual : EquivalenceOutcome.UnparseablePred;
            return new ExprComparer(options, budget).Equal(gold, pred) ? EquivalenceOutcome.Equal : EquivalenceOutcome.NotEqual;
        }
        catch (BudgetExceededException)
        {
            return EquivalenceOutcome.BudgetExceeded;
        }
    }

    /// <summary>Compare with default options and a fresh default budget.</summary>
    public static EquivalenceOutcome Compare(string normalizedGold, string normalizedPred) =>
        Compare(normalizedGold, normalizedPred, EquivalenceOptions.Default, VerifyBudget.Default());

    /// <summary>Prose answers become text atoms; everything else goes through the math parser.</summary>
    static Expr? ParseAnswer(string answer, VerifyBudget budget) =>
        TextAnswer.IsWordy(answer) ? new Text(answer.Trim()) : MathParser.Parse(answer, budget);

    static bool SameIgnoringWhitespace(string a, string b)
    {
        int i = 0, j = 0;
        while (true)
        {
            while (i < a.Length && char.IsWhiteSpace(a[i])) i++;
            while (j < b.Length && char.IsWhiteSpace(b[j])) j++;
            if (i == a.Length || j == b.Length) return i == a.Length && j == b.Length;
            if (a[i++] != b[j++]) return false;
        }
    }
}
