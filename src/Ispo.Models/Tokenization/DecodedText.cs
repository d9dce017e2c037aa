// Decoded text with each token's character span, so a span of the text (an answer) maps back to token positions.
namespace Ispo.Models.Tokenization;

/// <summary>
/// Token i produced Text[Starts[i]..Ends[i]). When a character's UTF-8 bytes are split over several tokens, each of
/// those tokens' spans includes that character, so spans may overlap by one character; a skipped or empty token has
/// Starts[i] == Ends[i].
/// </summary>
public sealed record DecodedText(string Text, int[] Starts, int[] Ends)
{
    /// <summary>The tokens [First, End) whose text overlaps the characters [charStart, charEnd).</summary>
    public (int First, int End) TokensOverlapping(int charStart, int charEnd)
    {
        int first = -1, end = -1;
        for (int i = 0; i < Starts.Length; i++)
        {
            if (Starts[i] >= charEnd || Ends[i] <= charStart || Starts[i] == Ends[i]) continue;
            if (first < 0) first = i;
            end = i + 1;
        }
        return first < 0 ? (0, 0) : (first, end);
    }
}
