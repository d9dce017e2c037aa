// Memory sizes as people write them ("80GiB", "80 GB", "512MiB", "1.5T", "1048576") and as the plan prints them.
using System.Globalization;
using System.Text.RegularExpressions;

namespace Ispo.Training.Planning;

public static partial class ByteSize
{
    /// <summary>Bytes in <paramref name="text"/>: a number and an optional unit. KB/MB/GB/TB are decimal (as disk and GPU
    /// vendors write them), KiB/MiB/GiB/TiB binary, and bare K/M/G/T binary too (as `free -g` and Slurm mean them).</summary>
    public static bool TryParse(string? text, out long bytes)
    {
        bytes = 0;
        Match m = Pattern().Match(text ?? "");
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) return false;
        double scale = m.Groups[2].Value.ToUpperInvariant() switch
        {
            "" or "B" => 1,
            "KB" => 1e3, "MB" => 1e6, "GB" => 1e9, "TB" => 1e12,
            "K" or "KIB" => 1L << 10, "M" or "MIB" => 1L << 20, "G" or "GIB" => 1L << 30, "T" or "TIB" => 1L << 40,
            _ => double.NaN,
        };
        double result = value * scale;
        if (!double.IsFinite(result) || result < 1 || result > long.MaxValue / 2) return false;
        bytes = (long)Math.Round(result);
        return true;
    }

    public static long Parse(string text) => TryParse(text, out long bytes) ? bytes
        : throw new FormatException($"'{text}' is not a memory size (e.g. 80GiB, 80GB, 512MiB or a number of bytes)");

    /// <summary>Binary units with three significant digits: "1.23 GiB", "512 MiB", "17 B".</summary>
    public static string Format(long bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];
        double value = bytes;
        int unit = 0;
        while (Math.Abs(value) >= 1024 && unit < units.Length - 1) (value, unit) = (value / 1024, unit + 1);
        string number = unit == 0 ? bytes.ToString(CultureInfo.InvariantCulture)
            : value.ToString(Math.Abs(value) >= 100 ? "0" : Math.Abs(value) >= 10 ? "0.0" : "0.00", CultureInfo.InvariantCulture);
        return $"{number} {units[unit]}";
    }

    [GeneratedRegex(@"^\s*([0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?)\s*([A-Za-z]*)\s*$")]
    private static partial Regex Pattern();
}
