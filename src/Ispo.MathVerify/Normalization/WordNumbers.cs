// Whole answers spelled as English number words: "five" → 5, "twenty-one" → 21, "three hundred" → 300.
namespace Ispo.MathVerify.Normalization;

internal static class WordNumbers
{
    static readonly Dictionary<string, int> Small = new(StringComparer.OrdinalIgnoreCase)
    {
        ["zero"] = 0, ["one"] = 1, ["two"] = 2, ["three"] = 3, ["four"] = 4, ["five"] = 5, ["six"] = 6,
        ["seven"] = 7, ["eight"] = 8, ["nine"] = 9, ["ten"] = 10, ["eleven"] = 11, ["twelve"] = 12,
        ["thirteen"] = 13, ["fourteen"] = 14, ["fifteen"] = 15, ["sixteen"] = 16, ["seventeen"] = 17,
        ["eighteen"] = 18, ["nineteen"] = 19, ["twenty"] = 20, ["thirty"] = 30, ["forty"] = 40, ["fifty"] = 50,
        ["sixty"] = 60, ["seventy"] = 70, ["eighty"] = 80, ["ninety"] = 90,
    };

    static readonly Dictionary<string, int> Scales = new(StringComparer.OrdinalIgnoreCase)
    {
        ["hundred"] = 100, ["thousand"] = 1000, ["million"] = 1_000_000,
    };

    /// <summary>The value of <paramref name="text"/> when it is entirely number words, else null.</summary>
    public static long? Parse(string text)
    {
        string[] words = text.Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0 || words.Length > 8) return null;
        long total = 0, current = 0;
        foreach (string word in words)
        {
            if (word.Equals("and", StringComparison.OrdinalIgnoreCase)) continue;
            if (Small.TryGetValue(word, out int small)) current += small;
            else if (Scales.TryGetValue(word, out int scale))
            {
                if (scale == 100) current = Math.Max(current, 1) * 100;
                else { total += Math.Max(current, 1) * scale; current = 0; }
            }
            else return null;
        }
        return total + current;
    }
}
