using System.Globalization;
using System.Text;
using Ispo.Models.Tokenization.Unicode;

namespace Ispo.Models.Tests.Tokenization.Unicode;

public class UnicodeNormalizerTests
{
    static string Nfc(string s) => UnicodeNormalizer.Normalize(s, NormalizationForm.FormC);
    static string Nfd(string s) => UnicodeNormalizer.Normalize(s, NormalizationForm.FormD);

    [Fact]
    public void ComposesTheCasesQwenTokenizesDifferentlyWhenDecomposed()
    {
        Assert.Equal("caf\u00e9", Nfc("cafe\u0301"));
        Assert.Equal("\uAC00\uAC01", Nfc("\u1100\u1161\u1100\u1161\u11A8")); // Hangul jamo, LV and LVT
        Assert.Equal("\u00C5", Nfc("\u212B")); // a singleton: ANGSTROM SIGN becomes Å
        Assert.Equal("\U0001D157\U0001D165", Nfc("\U0001D15E")); // a composition exclusion stays decomposed
        Assert.Equal("\u1E69", Nfc("s\u0323\u0307")); // reordered marks both compose
        Assert.Equal("\u1E69", Nfc("s\u0307\u0323"));
        Assert.Equal("a\u0316\u0301b", Nfd("a\u0301\u0316b"));
    }

    [Fact]
    public void CharactersNewerThanUnicode9AreLeftAsHuggingFaceLeavesThem()
    {
        // DIVES AKURU (Unicode 13) composes U+11935 U+11930 to U+11938 in current Unicode; HF's tables predate it.
        Assert.Equal("\U00011935\U00011930", Nfc("\U00011935\U00011930"));
    }

    [Fact]
    public void LeavesLoneSurrogatesAndPlainTextAlone()
    {
        Assert.Equal("a\uD800b\u0301", Nfd("a\uD800b\u0301"));
        string ascii = "plain text";
        Assert.Same(ascii, Nfc(ascii));
    }

    [Fact]
    public void MatchesTheUnicodeNormalizationTest()
    {
        var failures = new List<string>();
        foreach (string line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Tokenization", "Unicode", "Fixtures", "NormalizationTest-9.0.txt")))
        {
            if (line.Length == 0 || line[0] is '#' or '@') continue;
            string[] c = line.Split(';').Take(5).Select(Decode).ToArray();
            Check(failures, line, "NFC", NormalizationForm.FormC, c[1], c[0], c[1], c[2]);
            Check(failures, line, "NFC", NormalizationForm.FormC, c[3], c[3], c[4]);
            Check(failures, line, "NFD", NormalizationForm.FormD, c[2], c[0], c[1], c[2]);
            Check(failures, line, "NFD", NormalizationForm.FormD, c[4], c[3], c[4]);
            Check(failures, line, "NFKC", NormalizationForm.FormKC, c[3], c);
            Check(failures, line, "NFKD", NormalizationForm.FormKD, c[4], c);
        }
        Assert.True(failures.Count == 0, $"{failures.Count} failures, first: {string.Join("\n", failures.Take(5))}");
    }

    static void Check(List<string> failures, string line, string name, NormalizationForm form, string expected, params string[] inputs)
    {
        foreach (string input in inputs)
            if (UnicodeNormalizer.Normalize(input, form) != expected) failures.Add($"{name}: {line}");
    }

    static string Decode(string column) => string.Concat(column.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .Select(h => char.ConvertFromUtf32(int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture))));
}
