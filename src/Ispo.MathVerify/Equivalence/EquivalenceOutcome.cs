// The verdict of comparing two normalised answers.
namespace Ispo.MathVerify;

public enum EquivalenceOutcome { Equal, NotEqual, UnparseableGold, UnparseablePred, BudgetExceeded }
