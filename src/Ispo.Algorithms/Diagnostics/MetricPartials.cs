// Batch metrics as mergeable partials, so a batch can be measured in pieces (say group by group, each padded only to
// its own longest rollout) and merged into the whole batch's metrics: a mean is (Σx, n), a total is Σx, a sample std is
// (n, mean, M2 = Σ(x − mean)²) merged by Chan, Golub & LeVeque's pairwise update
//   n = n_a + n_b,  δ = mean_b − mean_a,  mean = mean_a + δ·n_b/n,  M2 = M2_a + M2_b + δ²·n_a·n_b/n.
// One part's ToMetrics() is the direct formula; merged parts differ from it only by floating summation order.
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public sealed class MetricPartials
{
    readonly SortedDictionary<string, Partial> parts = new(StringComparer.Ordinal);

    /// <summary>A sum reported as is (<c>num_tokens</c>).</summary>
    public void Total(string name, double sum) => Add(name, new TotalPart(sum));

    /// <summary>Σx / n; with no items the metric is absent, or 0 when <paramref name="zeroWhenEmpty"/> (a fraction of
    /// no tokens).</summary>
    public void Mean(string name, double sum, double count, bool zeroWhenEmpty = false) => Add(name, new MeanPart(sum, count, zeroWhenEmpty));

    /// <summary>The sample standard deviation (divisor n − 1; 0 when n &lt; 2; absent when n = 0) of <paramref name="values"/>.</summary>
    public void SampleStd(string name, Tensor values)                                   // [n]
    {
        long n = values.numel();
        if (n == 0) return;                                                             // TorchSharp cannot copy out an empty tensor
        double mean = values.mean().item<double>();
        double m2 = 0;
        foreach (double x in values.to(ScalarType.Float64).contiguous().cpu().data<double>()) m2 += (x - mean) * (x - mean);  // as torch's all-reduce std
        Add(name, new MomentsPart(n, mean, m2));
    }

    /// <summary>Adds <paramref name="other"/>'s partials to these (a name absent on one side is an empty part there).</summary>
    public MetricPartials Merge(MetricPartials other)
    {
        foreach (var (name, part) in other.parts) Add(name, part);
        return this;
    }

    public MetricsBag ToMetrics()
    {
        var metrics = new MetricsBag();
        foreach (var (name, part) in parts)
            if (part.Value is { } value) metrics.Set(name, value);
        return metrics;
    }

    void Add(string name, Partial part) => parts[name] = parts.TryGetValue(name, out Partial? had) ? had.Plus(part, name) : part;

    abstract record Partial
    {
        public abstract double? Value { get; }
        public abstract Partial Plus(Partial other, string name);
        protected InvalidOperationException Mismatch(Partial other, string name) =>
            new($"metric {name}: cannot merge a {GetType().Name} with a {other.GetType().Name}.");
    }

    sealed record TotalPart(double Sum) : Partial
    {
        public override double? Value => Sum;
        public override Partial Plus(Partial other, string name) =>
            other is TotalPart o ? new TotalPart(Sum + o.Sum) : throw Mismatch(other, name);
    }

    sealed record MeanPart(double Sum, double Count, bool ZeroWhenEmpty) : Partial
    {
        public override double? Value => Count > 0 ? Sum / Count : ZeroWhenEmpty ? 0 : null;
        public override Partial Plus(Partial other, string name) =>
            other is MeanPart o && o.ZeroWhenEmpty == ZeroWhenEmpty ? new MeanPart(Sum + o.Sum, Count + o.Count, ZeroWhenEmpty) : throw Mismatch(other, name);
    }

    sealed record MomentsPart(double Count, double Mean, double M2) : Partial
    {
        public override double? Value => Count switch { 0 => null, < 2 => 0, _ => Math.Sqrt(M2 / (Count - 1)) };
        public override Partial Plus(Partial other, string name)
        {
            if (other is not MomentsPart o) throw Mismatch(other, name);
            if (o.Count == 0) return this;
            if (Count == 0) return o;
            double n = Count + o.Count, delta = o.Mean - Mean;
            return new MomentsPart(n, Mean + delta * o.Count / n, M2 + o.M2 + delta * delta * Count * o.Count / n);
        }
    }
}
