// Maps the extractor's character spans of a final answer onto response-token positions (ISPO.md §3.1): which tokens
// are the answer A that IFD_cond scores, and which tokens of the answer segment precede A in the trace-ablated pass.
using Ispo.Algorithms;

namespace Ispo.Training.Rollouts;

/// <param name="Answer">[n] A: the tokens scored in both conditions.</param>
/// <param name="Prefix">[n] the segment's tokens between T and A, fed (not scored) after the prompt in the ablated pass.</param>
public sealed record AnswerTokens(bool[] Answer, bool[] Prefix);

public static class AnswerSpanLocator
{
    /// <summary>A (and its prefix) of one judged response under <paramref name="span"/>; all false when there is no answer.</summary>
    public static AnswerTokens Locate(ResponseText text, Judgement judgement, AnswerSpan span) => span switch
    {
        AnswerSpan.Segment => new(Locate(text.Starts, text.Text.Length, judgement.AnswerStart), new bool[text.Starts.Length]),
        AnswerSpan.Content => LocateContent(text.Starts, text.Ends ?? NextStarts(text.Starts, text.Text.Length), text.Text.Length,
            judgement.AnswerStart, judgement.ContentStart, judgement.ContentLength),
        _ => throw new ArgumentOutOfRangeException(nameof(span), span, null),
    };

    /// <summary>
    /// Segment span: marks every response token that carries text at or after <paramref name="answerStart"/>.
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

    /// <summary>
    /// Content span: A = the tokens from the first to the last one whose text [start, end) overlaps the content
    /// [<paramref name="contentStart"/>, + <paramref name="contentLength"/>) — a token straddling the content's edge
    /// (<c>{7</c>, <c>7}</c>) is in A, and so is a token inside the run that carries no text of its own (a byte of a
    /// split character), so A is contiguous and the ablated pass teacher-forces exactly the rollout's ids. The prefix
    /// is the run from the first token carrying text at or after <paramref name="segmentStart"/> (one straddling it
    /// included) up to A's first token. No content (null, empty, or outside the text) gives no A and no prefix.
    /// </summary>
    public static AnswerTokens LocateContent(IReadOnlyList<int> starts, IReadOnlyList<int> ends, int textLength, int? segmentStart,
        int? contentStart, int contentLength)
    {
        int n = starts.Count;
        var answer = new bool[n];
        var prefix = new bool[n];
        if (contentStart is not int from || from < 0 || contentLength <= 0 || from + contentLength > textLength) return new(answer, prefix);
        int to = from + contentLength;
        int first = -1, end = -1;
        for (int t = 0; t < n; t++)
            if (ends[t] > starts[t] && starts[t] < to && ends[t] > from) (first, end) = (first < 0 ? t : first, t + 1);
        if (first < 0) return new(answer, prefix);
        for (int t = first; t < end; t++) answer[t] = true;
        int segment = Math.Min(segmentStart ?? from, from);
        int prefixFirst = first;
        for (int t = 0; t < first; t++)
            if (ends[t] > starts[t] && ends[t] > segment) { prefixFirst = t; break; }
        for (int t = prefixFirst; t < first; t++) prefix[t] = true;
        return new(answer, prefix);
    }

    /// <summary>Token ends when only starts are known: each token's text ends where the next one's starts.</summary>
    static int[] NextStarts(IReadOnlyList<int> starts, int textLength) =>
        Enumerable.Range(0, starts.Count).Select(t => t + 1 < starts.Count ? starts[t + 1] : textLength).ToArray();
}
