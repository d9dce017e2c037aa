// An answer found in a completion: the cleaned text and where it sits in the original string.
namespace Ispo.MathVerify.Extraction;

/// <param name="Text">The answer with markdown bold, trailing punctuation and math delimiters stripped.</param>
/// <param name="Start">Start of the answer text (after cleaning) in the original completion.</param>
/// <param name="Length">Length of that region in the original completion.</param>
/// <param name="SegmentStart">Start of the final answer segment (the `\boxed` command, the `Answer:` line, the
/// answer phrase): ISPO's answer span A runs from here to the end of the completion (ISPO.md §3.1).</param>
/// <param name="Rule">The rule that found it.</param>
public sealed record ExtractedAnswer(string Text, int Start, int Length, int SegmentStart, ExtractionRule Rule)
{
    public int End => Start + Length;
}
