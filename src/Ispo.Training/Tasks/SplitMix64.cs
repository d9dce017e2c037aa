// A tiny, explicit PRNG so generated problems never depend on System.Random's implementation.
namespace Ispo.Training.Tasks;

internal struct SplitMix64(ulong seed)
{
    ulong state = seed;

    public ulong Next()
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>Uniform integer in [min, max] (inclusive).</summary>
    public int Between(int min, int max) => min + (int)(Next() % (ulong)(max - min + 1));

    public T Pick<T>(IReadOnlyList<T> items) => items[Between(0, items.Count - 1)];

    /// <summary>Mixes several values into one seed (order matters).</summary>
    public static ulong Mix(params ulong[] parts)
    {
        var rng = new SplitMix64(0x1234_5678_9ABC_DEF0UL);
        ulong h = 0;
        foreach (ulong p in parts) { rng.state ^= p + h; h = rng.Next(); }
        return h;
    }
}
