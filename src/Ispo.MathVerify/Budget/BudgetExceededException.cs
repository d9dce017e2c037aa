// Thrown when a verification spends its VerifyBudget; MathEquivalence turns it into EquivalenceOutcome.BudgetExceeded.
namespace Ispo.MathVerify;

public sealed class BudgetExceededException(string message) : Exception(message);
