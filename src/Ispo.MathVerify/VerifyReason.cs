// Why a verification came out as it did; ToName() gives the snake_case names used in JSON and logs.
namespace Ispo.MathVerify;

/// <summary>QuestionEcho: the answer equals the gold only as the question's own expression restated (QuestionEcho.cs).</summary>
public enum VerifyReason { Equal, NotEqual, NoAnswer, UnparseablePred, UnparseableGold, BudgetExceeded, QuestionEcho }

public static class VerifyReasonNames
{
    /// <summary>equal, not_equal, no_answer, unparseable_pred, unparseable_gold, budget_exceeded, question_echo.</summary>
    public static string ToName(this VerifyReason reason) => reason switch
    {
        VerifyReason.Equal => "equal",
        VerifyReason.NotEqual => "not_equal",
        VerifyReason.NoAnswer => "no_answer",
        VerifyReason.UnparseablePred => "unparseable_pred",
        VerifyReason.UnparseableGold => "unparseable_gold",
        VerifyReason.BudgetExceeded => "budget_exceeded",
        VerifyReason.QuestionEcho => "question_echo",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, "unknown verify reason"),
    };
}
