// Maps the extractor's character span of a final answer onto response-token positions (ISPO.md §3.1: the answer
// segment runs from the start of the last \boxed{…} or `Answer:` line through the end of the rollout).
namespace Ispo.Training.Rollouts;

public static class AnswerSpanLocator
{
    /// <summary>
    /// Marks every response token that carries text at or after <paramref name="answerStart"/>.
    /// <paramref name="tokenCharStarts"/> holds each token's first character offset in the decoded response text
    /// (non-decreasing; a token whose bytes complete a character starts where that character starts);
    /// <paramref name="textLength"/> is that text's length. Tokens that decode to nothing past the text (EOS,
    /// stop tokens) are excluded. Returns an all-false mask when there is no answer.
    /// </summary>
    public static bool[] Locate(IReadOnlyList<int> tokenCharStarts, int textLength, int? answerStart)
    {
        var mask = new bool[tokenCharStarts.Count];
        if (answerStart is not int start || start < 0 || start >= textLength) return mask;
        for (int t = 0; t < mask.Length; t++)
        {
            int tokenStart = tokenCharStarts[t];
            int tokenEnd = t + 1 < mask.Length ? tokenCharStarts[t + 1] : textLength;
            bool carriesText = tokenEnd > tokenStart;
            mask[t] = carriesText && tokenEnd > start;
        }
        return mask;
    }
}
