// The Unicode tables UnicodeNormalizer needs (combining classes, one-level decompositions, canonical compositions),
// read once from NormalizationData.txt, which generate_normalization_data.py writes from the Unicode Character
// Database at the version Hugging Face's tokenizers use (9.0).
using System.Globalization;
using System.Reflection;

namespace Ispo.Models.Tokenization.Unicode;

sealed class NormalizationTables
{
    public const string ResourceName = "Ispo.Models.Tokenization.Unicode.NormalizationData.txt";

    public static NormalizationTables Instance => instance.Value;
    static readonly Lazy<NormalizationTables> instance = new(Load);

    readonly Dictionary<int, byte> combiningClass = [];
    readonly Dictionary<int, int[]> canonical = [];
    readonly Dictionary<int, int[]> compatibility = [];
    readonly Dictionary<long, int> composition = [];

    public int CombiningClass(int codePoint) => combiningClass.TryGetValue(codePoint, out byte c) ? c : 0;

    /// <summary>The one-level decomposition of a code point (compatibility ones only when asked); null when none.</summary>
    public int[]? Decomposition(int codePoint, bool compatibility) =>
        canonical.TryGetValue(codePoint, out var seq) ? seq
        : compatibility && this.compatibility.TryGetValue(codePoint, out seq) ? seq : null;

    /// <summary>The primary composite of a starter and a following character; -1 when they do not compose.</summary>
    public int Compose(int first, int second) => composition.TryGetValue(Pair(first, second), out int c) ? c : -1;

    static long Pair(int first, int second) => ((long)first << 21) | (uint)second;

    static NormalizationTables Load()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        using var reader = new StreamReader(stream);
        var tables = new NormalizationTables();
        var excluded = new HashSet<int>();
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#') continue;
            string[] f = line.Split(' ');
            switch (f[0])
            {
                case "c":
                    for (int cp = Hex(f[1]); cp <= Hex(f[2]); cp++) tables.combiningClass[cp] = byte.Parse(f[3], CultureInfo.InvariantCulture);
                    break;
                case "d":
                    (f[2] == "c" ? tables.canonical : tables.compatibility)[Hex(f[1])] = f[3..].Select(Hex).ToArray();
                    break;
                case "x":
                    excluded.Add(Hex(f[1]));
                    break;
            }
        }
        tables.BuildCompositions(excluded);
        return tables;
    }

    /// <summary>Primary composites: two-character canonical decompositions of a starter into a starter and another
    /// character, less the listed exclusions (singletons and non-starter decompositions are never composed).</summary>
    void BuildCompositions(HashSet<int> excluded)
    {
        foreach (var (cp, seq) in canonical)
            if (seq.Length == 2 && !excluded.Contains(cp) && CombiningClass(cp) == 0 && CombiningClass(seq[0]) == 0)
                composition[Pair(seq[0], seq[1])] = cp;
    }

    static int Hex(string s) => int.Parse(s, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
}
