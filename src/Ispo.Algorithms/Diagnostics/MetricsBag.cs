// Named scalar metrics returned as data by components (they never log). TRL names where they exist, ISPO's
// own under ispo/…; a metric whose population is empty (say, no correct rollouts) is absent, never NaN.
using System.Collections;

namespace Ispo.Algorithms;

public sealed class MetricsBag : IReadOnlyDictionary<string, double>
{
    readonly SortedDictionary<string, double> values = new(StringComparer.Ordinal);

    public void Set(string name, double value) => values[name] = value;

    /// <summary>Adds every metric of <paramref name="other"/>, overwriting equal names.</summary>
    public MetricsBag Merge(IReadOnlyDictionary<string, double> other)
    {
        foreach (var (name, value) in other) values[name] = value;
        return this;
    }

    public double this[string key] => values[key];
    public IEnumerable<string> Keys => values.Keys;
    public IEnumerable<double> Values => values.Values;
    public int Count => values.Count;
    public bool ContainsKey(string key) => values.ContainsKey(key);
    public bool TryGetValue(string key, out double value) => values.TryGetValue(key, out value);
    public IEnumerator<KeyValuePair<string, double>> GetEnumerator() => values.GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
