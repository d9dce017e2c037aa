// Why a verification came out as it did; ToName() gives the snake_case names used in JSON and logs.
namespace Ispo.MathVerify;

public enum VerifyReason { Equal, NotEqual, NoAnswer, UnparseablePred, UnparseableGold, BudgetExceeded }

public static class VerifyReasonNames
{
    /// <summary>equal, not_equal, no_answer, unparseable_pred, unparseable_gold, budget_exceeded.</summary>
    public static string ToName(this VerifyReason reason) => reason switch
    {
        VerifyReason.Equal => "equal",
        VerifyReason.NotEqual => "not_equal",
        VerifyReason.NoAnswer => "no_answer",
        VerifyReason.UnparseablePred => "unparseable_pred",
        VerifyReason.UnparseableGold => "unparseable_gold",
        VerifyReason.BudgetExceeded => "budget_exceeded",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown verify reason"),
    };
}
