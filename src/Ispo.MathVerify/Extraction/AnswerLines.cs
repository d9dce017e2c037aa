// Answer lines: "Answer: X" (DAPO), "A: X" and "#### X" (GSM8K), and "Final Answer: ..." anywhere on a line.
// A line that states its answer in a sentence ("Final Answer: The largest $n$ is 34.") is narrowed to the value.
namespace Ispo.MathVerify.Extraction;

internal static class AnswerLines
{
    const string FinalAnswer = "final answer:";

    /// <summary>The answer of the last answer line in [from, s.Length), or null.</summary>
    public static ExtractedAnswer? Last(string s, int from)
    {
        int lineEnd = s.Length;
        while (lineEnd > from)
        {
            int lineStart = Math.Max(from, s.LastIndexOf('\n', lineEnd - 1) + 1);
            if (Content(s, lineStart, lineEnd) is var (segment, content) && Answer(s, content, lineEnd, segment) is { } answer)
                return answer;
            lineEnd = lineStart - 1;
        }
        return null;
    }

    // (segment start, content start) when [start, end) is an answer line.
    static (int Segment, int Content)? Content(string s, int start, int end)
    {
        int i = Skip(s, start, end, " \t*#");
        if (i - start >= 4 && s.AsSpan(start, 4).SequenceEqual("####")) return (start, Skip(s, start + 4, end, " "));
        if (end - i >= 2 && s[i] == 'A' && s[i + 1] == ':') return (start, Skip(s, i + 2, end, " "));
        if (StartsWith(s, i, end, "final ")) i += "final ".Length;
        if (StartsWith(s, i, end, "answer"))
        {
            int colon = Skip(s, i + "answer".Length, end, " *");
            if (colon < end && s[colon] == ':') return (start, Skip(s, colon + 1, end, " *"));
        }
        int final = s.AsSpan(start, end - start).LastIndexOf(FinalAnswer, StringComparison.OrdinalIgnoreCase);
        return final < 0 ? null : (start + final, Skip(s, start + final + FinalAnswer.Length, end, " *"));
    }

    static ExtractedAnswer? Answer(string s, int start, int end, int segment)
    {
        (start, end) = AnswerCleanup.Trim(s, start, end);
        if (end <= start) return null;
        if (IsSentence(s, start, end)) (start, end) = Narrow(s, start, end);
        (start, end) = AnswerCleanup.Trim(s, start, end);
        return end > start ? new ExtractedAnswer(s[start..end], start, end - start, segment, ExtractionRule.AnswerLine) : null;
    }

    /// <summary>Prose: two words in a row ("The largest", "hours ago") outside math, commands and braces, where
    /// "864 \mbox{ inches}^2" and "\begin{pmatrix}" are not prose.</summary>
    static bool IsSentence(string s, int start, int end)
    {
        bool math = false;
        int depth = 0, previousWordEnd = -1;
        for (int i = start; i < end; i++)
        {
            char c = s[i];
            if (c == '$') math = !math;
            else if (c == '{') depth++;
            else if (c == '}') depth--;
            else if (c == '\\') { while (i + 1 < end && char.IsAsciiLetter(s[i + 1])) i++; }
            else if (char.IsAsciiLetter(c) && !math && depth == 0)
            {
                int wordEnd = i;
                while (wordEnd < end && char.IsAsciiLetter(s[wordEnd])) wordEnd++;
                if (wordEnd - i >= 2)
                {
                    if (previousWordEnd >= 0 && previousWordEnd < i && s.AsSpan(previousWordEnd, i - previousWordEnd).Trim(' ').IsEmpty)
                        return true;
                    previousWordEnd = wordEnd;
                }
                i = wordEnd - 1;
            }
        }
        return false;
    }

    // The value a sentence states: what follows its last " is " (to the sentence's end), else its last number.
    static (int Start, int End) Narrow(string s, int start, int end)
    {
        int sentenceEnd = SentenceEnd(s, start, end);
        int @is = s.AsSpan(start, sentenceEnd - start).LastIndexOf(" is ", StringComparison.Ordinal);
        if (@is >= 0) return (start + @is + 4, sentenceEnd);
        int digit = sentenceEnd;
        while (digit > start && !char.IsAsciiDigit(s[digit - 1])) digit--;
        if (digit == start) return (start, end);
        int first = digit - 1;
        while (first > start && (char.IsAsciiDigit(s[first - 1]) || s[first - 1] is '.' or ',' or '/' or '-')) first--;
        return (first, digit);
    }

    // The first ". " (or end) outside math: "34. I hope it is correct." ends after 34.
    static int SentenceEnd(string s, int start, int end)
    {
        bool math = false;
        for (int i = start; i < end; i++)
        {
            if (s[i] == '\\') { i++; continue; }
            if (s[i] == '$') math = !math;
            else if (!math && s[i] == '.' && (i + 1 == end || s[i + 1] == ' ')) return i;
        }
        return end;
    }

    static int Skip(string s, int i, int end, string chars)
    {
        while (i < end && chars.Contains(s[i])) i++;
        return i;
    }

    static bool StartsWith(string s, int i, int end, string word) =>
        end - i >= word.Length && string.Compare(s, i, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0;
}
