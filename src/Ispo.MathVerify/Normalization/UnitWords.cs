// Unit words and filler that may follow a number in an answer ("5 cm", "18 dollars", "864 inches^2").
namespace Ispo.MathVerify.Normalization;

internal static class UnitWords
{
    /// <summary>Units spelled as words; stripped after a number whether or not they were in \text{}.</summary>
    static readonly HashSet<string> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        "cm", "mm", "km", "meter", "meters", "metre", "metres", "inch", "inches", "feet", "foot", "ft", "yard",
        "yards", "mile", "miles", "unit", "units", "square", "sq", "cubic", "degree", "degrees", "deg", "dollar",
        "dollars", "cent", "cents", "hour", "hours", "hr", "hrs", "minute", "minutes", "min", "mins", "second",
        "seconds", "sec", "day", "days", "week", "weeks", "month", "months", "year", "years", "kg", "gram",
        "grams", "pound", "pounds", "lb", "lbs", "ounce", "ounces", "oz", "mph", "kmh", "liter", "liters", "litre",
        "litres", "ml", "gallon", "gallons", "radian", "radians", "rad", "people", "persons", "students", "ways",
        "points", "times", "steps", "coins", "marbles", "apples", "eggs", "books", "pages", "items", "sides",
        "edges", "vertices", "handshakes", "games", "boxes", "tiles", "numbers", "integers", "digits",
        "km/h", "m/s", "cm^2", "cm^3", "m^2", "m^3", "sq units", "square units", "cubic units", "square feet",
        "square inches", "square meters", "square centimeters", "cubic feet", "cubic inches", "cubic centimeters",
    };

    /// <summary>Symbols that are units only when written inside \text{}/\mathrm{} (bare, they are variables).</summary>
    static readonly HashSet<string> WrappedSymbols = new(StringComparer.Ordinal)
    {
        "m", "s", "g", "K", "J", "W", "N", "Pa", "Hz", "eV", "keV", "MeV", "GeV", "nm", "um", "pc", "kpc", "Mpc",
        "AU", "erg", "V", "L", "h", "yr", "ly", "Gyr", "Myr", "mol", "cal", "kcal", "T", "G", "Angstrom",
        "in", "mi", "yd", "l", "d",
    };

    /// <summary>Whether the content of a \text{}-like group is only a unit (units like "m" count here), or a
    /// product of units ("kcal m" of "\text{ kcal m}^{-2}", "square feet").</summary>
    public static bool IsUnit(string content)
    {
        if (content.Length == 0) return false;
        if (Words.Contains(content) || WrappedSymbols.Contains(content)) return true;
        int space = content.IndexOf(' ');
        string first = space > 0 ? content[..space] : "";
        return (Words.Contains(first) || WrappedSymbols.Contains(first)) && IsUnit(content[(space + 1)..].Trim());
    }

    /// <summary>Removes trailing unit words (and a trailing "^2"/"^3" after them) that follow a number.</summary>
    public static string StripTrailing(string s)
    {
        while (true)
        {
            string trimmed = s.TrimEnd();
            string withoutPower = TrimPower(trimmed);
            int wordStart = withoutPower.Length;
            while (wordStart > 0 && (char.IsAsciiLetter(withoutPower[wordStart - 1]) || withoutPower[wordStart - 1] == '/'))
                wordStart--;
            if (wordStart > 0 && withoutPower[wordStart - 1] == '\\') return trimmed;     // \min, \sec are math
            string word = withoutPower[wordStart..];
            if (word.Length < 2 || !Words.Contains(word)) return trimmed;
            string rest = withoutPower[..wordStart].TrimEnd();
            if (rest.Length == 0 || !EndsLikeNumber(rest)) return trimmed;
            s = rest;
        }
    }

    static string TrimPower(string s)
    {
        if (s.Length >= 2 && s[^2] == '^' && s[^1] is '2' or '3') return s[..^2];
        if (s.Length >= 4 && s[^4] == '^' && s[^3] == '{' && s[^2] is '2' or '3' && s[^1] == '}') return s[..^4];
        return s;
    }

    // A unit follows a number, a closing group (\frac{1}{2}), or another unit word ("square feet").
    static bool EndsLikeNumber(string s) => char.IsAsciiDigit(s[^1]) || s[^1] is '}' or ')' or '%' || char.IsAsciiLetter(s[^1]);
}
