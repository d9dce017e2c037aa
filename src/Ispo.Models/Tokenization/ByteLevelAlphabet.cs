// GPT-2's byte-level alphabet: each byte maps to a printable character (printable Latin-1 bytes to themselves, the
// rest to U+0100 onwards), so byte-level BPE vocabularies are plain strings. Space is 'Ġ', newline 'Ċ'.
namespace Ispo.Models.Tokenization;

public static class ByteLevelAlphabet
{
    static readonly char[] CharOfByte = Build();
    static readonly Dictionary<char, byte> ByteOfChar =
        Enumerable.Range(0, 256).ToDictionary(b => CharOfByte[b], b => (byte)b);

    static char[] Build()
    {
        var chars = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
            chars[b] = IsPrintable(b) ? (char)b : (char)next++;
        return chars;
    }

    static bool IsPrintable(int b) => b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;

    public static char ToChar(byte b) => CharOfByte[b];

    public static bool TryToByte(char c, out byte b) => ByteOfChar.TryGetValue(c, out b);

    /// <summary>The byte-level spelling of a text's UTF-8 bytes.</summary>
    public static string Encode(string text) =>
        string.Concat(System.Text.Encoding.UTF8.GetBytes(text).Select(b => CharOfByte[b]));
}
