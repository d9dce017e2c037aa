// UTF-8 decoding that maps byte ranges (one per token) to character ranges of the decoded string. Invalid bytes
// become U+FFFD exactly as .NET's decoder would replace them.
using System.Text;

namespace Ispo.Models.Tokenization;

static class Utf8Spans
{
    /// <summary>Decodes <paramref name="bytes"/>; token i owns bytes [byteStarts[i], byteStarts[i+1]).</summary>
    public static DecodedText Decode(byte[] bytes, int[] byteStarts)
    {
        var text = new StringBuilder(bytes.Length);
        var charStartOfByte = new int[bytes.Length + 1]; // the char index where the character containing byte b starts
        var charEndOfByte = new int[bytes.Length + 1];   // ... and where it ends
        for (int position = 0; position < bytes.Length;)
        {
            Rune.DecodeFromUtf8(bytes.AsSpan(position), out Rune rune, out int consumed);
            int start = text.Length;
            text.Append(rune.ToString());
            for (int b = position; b < position + consumed; b++) (charStartOfByte[b], charEndOfByte[b]) = (start, text.Length);
            position += consumed;
        }
        charStartOfByte[bytes.Length] = charEndOfByte[bytes.Length] = text.Length;
        int tokens = byteStarts.Length - 1;
        var starts = new int[tokens];
        var ends = new int[tokens];
        for (int i = 0; i < tokens; i++)
        {
            int first = byteStarts[i], end = byteStarts[i + 1];
            starts[i] = charStartOfByte[first];
            ends[i] = end > first ? charEndOfByte[end - 1] : starts[i];
        }
        return new DecodedText(text.ToString(), starts, ends);
    }
}
