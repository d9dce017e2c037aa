// Finds the final answer in a model completion by the configured rules, first hit wins (VERIFIER.md §Extraction).
namespace Ispo.MathVerify.Extraction;

public static class AnswerExtractor
{
    const string ThinkClose = "</think>";

    /// <summary>The answer found by the first rule (in the given order) that yields a non-empty answer, or null.
    /// Only the text after the last `&lt;/think&gt;` is searched when present.</summary>
    public static ExtractedAnswer? Extract(string completion, IReadOnlyList<ExtractionRule> rules)
    {
        int from = GradedStart(completion);
        foreach (ExtractionRule rule in rules)
        {
            ExtractedAnswer? answer = rule switch
            {
                ExtractionRule.MinervaFinalAnswer => Minerva(completion, from),
                ExtractionRule.Boxed => Boxed(completion, from),
                ExtractionRule.AnswerLine => AnswerLines.Last(completion, from),
                ExtractionRule.AnswerPhrase => AnswerPhrase(completion, from),
                ExtractionRule.LastMath => LastMath(completion, from),
                ExtractionRule.LastNumber => LastNumber(completion, from),
                _ => throw new ArgumentOutOfRangeException(nameof(rules), rule, "unknown extraction rule"),
            };
            if (answer is not null) return rule == ExtractionRule.LastMath ? LaterNumber(completion, from, answer, rules) : answer;
        }
        return null;
    }

    // The two last resorts pick what the text ends with: a number written after the last math span wins
    // ("... is $f(x)$ is 19." → 19).
    static ExtractedAnswer LaterNumber(string s, int from, ExtractedAnswer math, IReadOnlyList<ExtractionRule> rules)
    {
        if (!rules.Contains(ExtractionRule.LastNumber)) return math;
        int after = math.End;
        while (after < s.Length && s[after] is '$' or ')' or ']' or '\\') after++;
        return LastNumber(s, Math.Max(from, after)) ?? math;
    }

    /// <summary>Where grading starts: after the last `&lt;/think&gt;`, else 0.</summary>
    public static int GradedStart(string completion)
    {
        int close = completion.LastIndexOf(ThinkClose, StringComparison.Ordinal);
        return close < 0 ? 0 : close + ThinkClose.Length;
    }

    static ExtractedAnswer? Make(string s, int start, int end, int segmentStart, ExtractionRule rule)
    {
        (start, end) = AnswerCleanup.Trim(s, start, end);
        return end > start ? new ExtractedAnswer(s[start..end], start, end - start, segmentStart, rule) : null;
    }

    static ExtractedAnswer? Minerva(string s, int from)
    {
        const string Lead = "inal answer is $", Tail = "$. I hope";
        int tail = s.LastIndexOf(Tail, StringComparison.Ordinal);
        if (tail < from) return null;
        int lead = LastIndexOf(s, Lead, from, tail);
        if (lead < from + 1 || (s[lead - 1] | 0x20) != 'f') return null;
        return Make(s, lead + Lead.Length, tail, lead - 1, ExtractionRule.MinervaFinalAnswer);
    }

    /// <summary>The last box; several complete boxes on its line become a comma-separated list.</summary>
    static ExtractedAnswer? Boxed(string s, int from)
    {
        if (LatexScanner.LastBox(s, from, s.Length) is not { } last) return null;
        int newline = last.Open == 0 ? -1 : s.LastIndexOf('\n', last.Open - 1);
        int lineStart = Math.Max(from, newline + 1);
        List<TextRegion> boxes = LatexScanner.BoxesIn(s, lineStart, last.Open);
        boxes.Add(last);
        if (boxes.Count == 1) return Make(s, last.Start, last.End, last.Open, ExtractionRule.Boxed);
        var parts = new List<string>();
        foreach (TextRegion box in boxes)
        {
            var (start, end) = AnswerCleanup.Trim(s, box.Start, box.End);
            if (end > start && !parts.Contains(s[start..end])) parts.Add(s[start..end]);   // \boxed{350} twice is one answer
        }
        if (parts.Count == 0) return null;
        if (parts.Count == 1) return Make(s, last.Start, last.End, last.Open, ExtractionRule.Boxed);
        int first = boxes[0].Start;
        return new ExtractedAnswer(string.Join(", ", parts), first, last.End - first, boxes[0].Open, ExtractionRule.Boxed);
    }

    /// <summary>"final answer is X" / "the answer is X": X runs to the end of its sentence or math span.</summary>
    static ExtractedAnswer? AnswerPhrase(string s, int from)
    {
        const string Phrase = "nswer is";
        int searchEnd = s.Length;
        while (searchEnd > from)
        {
            int at = LastIndexOf(s, Phrase, from + 1, searchEnd) - 1;             // "answer is" / "Answer is"
            if (at < from) return null;
            int lead = (s[at] | 0x20) == 'a' ? PhraseLead(s, from, at) : -1;
            if (lead >= 0)
            {
                int start = SkipAny(s, at + 1 + Phrase.Length, s.Length, " :");
                int end = SentenceEnd(s, start);
                if (Make(s, start, end, lead, ExtractionRule.AnswerPhrase) is { } answer) return answer;
            }
            searchEnd = at;
        }
        return null;
    }

    // Start of "final " / "the " right before `at`, or -1.
    static int PhraseLead(string s, int from, int at)
    {
        foreach (string lead in (string[])["final ", "the "])
        {
            int start = at - lead.Length;
            if (start >= from && string.Compare(s, start, lead, 0, lead.Length, StringComparison.OrdinalIgnoreCase) == 0)
                return start;
        }
        return -1;
    }

    // End of the answer starting at `start`: its math span when it opens one, else the sentence's end.
    static int SentenceEnd(string s, int start)
    {
        bool opensMath = start < s.Length && (s[start] == '$' || (s[start] == '\\' && start + 1 < s.Length && s[start + 1] is '(' or '['));
        if (opensMath && LatexScanner.MathSpanAt(s, start, out _) is { } math) return math.After;
        int depth = 0;
        for (int i = start; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\\') { i++; continue; }
            if (c == '{') depth++;
            else if (c == '}') depth--;
            else if (c == '\n') return i;
            else if (c == '.' && depth <= 0 && (i + 1 == s.Length || char.IsWhiteSpace(s[i + 1]))) return i;
        }
        return s.Length;
    }

    static ExtractedAnswer? LastMath(string s, int from) =>
        LatexScanner.LastMathSpan(s, from) is { } span ? Make(s, span.Start, span.End, span.Open, ExtractionRule.LastMath) : null;

    /// <summary>Every number the last-number rule could take from <paramref name="text"/>, right to left.</summary>
    internal static IEnumerable<string> Numbers(string text)
    {
        int end = text.Length;
        while (LastNumber(text, 0, end) is { } number)
        {
            yield return number.Text;
            end = Math.Min(number.Start, end - 1);
        }
    }

    /// <summary>The last number before <paramref name="limit"/> (default: the end): digits with inner ',' or '.', a
    /// leading '-' or '.', a fraction a/b; digits glued to a preceding letter (AZYUK2A, x2) are not a number.</summary>
    static ExtractedAnswer? LastNumber(string s, int from, int? limit = null)
    {
        int end = limit ?? s.Length;
        while (true)
        {
            while (end > from && !char.IsAsciiDigit(s[end - 1])) end--;
            if (end == from) return null;
            int start = NumberStart(s, from, end);
            if (start > from && s[start - 1] == '/' && start - 1 > from && char.IsAsciiDigit(s[start - 2]))
                start = NumberStart(s, from, start - 1);                           // 2/3
            if (start > from && char.IsAsciiLetter(s[start - 1])) { end = start; continue; }
            (start, end) = BareLatex.Around(s, from, start, end);
            if (start > from && s[start - 1] is '-' or '.') start--;
            return Make(s, start, end, start, ExtractionRule.LastNumber);
        }
    }

    static int NumberStart(string s, int from, int end)
    {
        int start = end - 1;
        while (start > from && (char.IsAsciiDigit(s[start - 1]) || (s[start - 1] is ',' or '.' && start - 2 >= from && char.IsAsciiDigit(s[start - 2]))))
            start--;
        return SpacedThousands(s, from, start, end);
    }

    // "1 000" and "1 234 567": groups of exactly three digits after single spaces join a lead group of one to
    // three digits; anything else ("5 and 1 234") leaves the last group alone.
    static int SpacedThousands(string s, int from, int start, int end)
    {
        if (end - start != 3) return start;
        int groupStart = start;
        while (true)
        {
            if (groupStart - 2 < from || s[groupStart - 1] != ' ' || !char.IsAsciiDigit(s[groupStart - 2])) return start;
            int lead = groupStart - 2;
            while (lead > from && char.IsAsciiDigit(s[lead - 1])) lead--;
            int digits = groupStart - 1 - lead;
            if (digits == 3) { groupStart = lead; continue; }                 // another full group: keep walking
            bool alone = lead == from || !(char.IsAsciiDigit(s[lead - 1]) || s[lead - 1] is ',' or '.');
            return digits <= 3 && alone ? lead : start;
        }
    }

    static int SkipAny(string s, int i, int end, string chars)
    {
        while (i < end && chars.Contains(s[i])) i++;
        return i;
    }

    // Ordinal search: the callers drop the first letter of their phrase and check its case themselves.
    static int LastIndexOf(string s, string value, int from, int end)
    {
        if (end - from < value.Length) return -1;
        int at = s.AsSpan(from, end - from).LastIndexOf(value, StringComparison.Ordinal);
        return at < 0 ? -1 : from + at;
    }
}
