// Decides whether a normalised predicted answer equals a normalised gold answer (rules in VERIFIER.md).
namespace Ispo.MathVerify;

public static class MathEquivalence
{
    public static EquivalenceOutcome Compare(string normalizedGold, string normalizedPred, EquivalenceOptions options, VerifyBudget budget) =>
        string.Equals(normalizedGold.Trim(), normalizedPred.Trim(), StringComparison.Ordinal) ? EquivalenceOutcome.Equal : EquivalenceOutcome.NotEqual;

    public static EquivalenceOutcome Compare(string normalizedGold, string normalizedPred) =>
        Compare(normalizedGold, normalizedPred, EquivalenceOptions.Default, VerifyBudget.Default());
}
