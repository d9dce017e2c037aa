// Seeded random complex points for comparing expressions with free variables (SplitMix64: tiny and allocation-free).
using System.Numerics;

namespace Ispo.MathVerify;

internal static class RandomPoints
{
    /// <summary>Point number <paramref name="index"/>: each variable gets a complex value away from 0 and from the real
    /// axis, so branch cuts and poles are rarely hit. Even points have parts in ±[0.15, 0.6] and odd ones in ±[0.5, 2]:
    /// small points catch x^{100} + 1 vs x^{100}, large ones catch x + 10^{-9}x^2 vs x. Real points (for ⌊x⌋ and other
    /// functions only defined on reals) have imaginary part 0.</summary>
    public static Dictionary<string, Complex> Point(IReadOnlyList<string> variables, int seed, int index, bool real = false)
    {
        ulong state = (ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)index * 0xD1B54A32D192ED03UL;
        var point = new Dictionary<string, Complex>(variables.Count, StringComparer.Ordinal);
        var (low, high) = index % 2 == 0 ? (0.15, 0.6) : (0.5, 2.0);
        foreach (var name in variables)
            point[name] = new Complex(Coordinate(ref state, low, high), real ? 0 : Coordinate(ref state, low, high));
        return point;
    }

    static double Coordinate(ref ulong state, double low, double high)
    {
        double u = Next(ref state) * 2 - 1; // [-1, 1)
        return Math.CopySign(low + (high - low) * Math.Abs(u), u);
    }

    static double Next(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (z >> 11) * (1.0 / (1UL << 53));
    }
}
