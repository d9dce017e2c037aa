// The verdict of one verification, with what was extracted so rewards can be audited.
using Ispo.MathVerify.Extraction;

namespace Ispo.MathVerify;

/// <param name="Answer">The extracted answer and its span in the completion; null when none was found.</param>
/// <param name="NormalizedPred">The predicted answer as handed to the comparison (null when not reached).</param>
/// <param name="NormalizedGold">The gold answer as handed to the comparison (null when not reached).</param>
public sealed record VerifyResult(VerifyReason Reason, ExtractedAnswer? Answer, string? NormalizedPred = null, string? NormalizedGold = null)
{
    public bool Equal => Reason == VerifyReason.Equal;
    public string? Extracted => Answer?.Text;
}
