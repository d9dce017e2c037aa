// Deterministic seed derivation (HashCode is randomised per process, so it must not be used for seeds).
namespace Ispo.Training.Trainer;

public static class Seeds
{
    /// <summary>A well-mixed non-negative 31-bit seed from a base seed and two counters (SplitMix64 finaliser).</summary>
    public static int Mix(long seed, long a, long b = 0)
    {
        ulong z = (ulong)seed * 0x9E3779B97F4A7C15UL ^ (ulong)a * 0xBF58476D1CE4E5B9UL ^ (ulong)b * 0x94D049BB133111EBUL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        z ^= z >> 31;
        return (int)(z & int.MaxValue);
    }
}
