using static TorchSharp.torch;

namespace Ispo.Algorithms.Tests;

public class MetricPartialsTests
{
    [Fact]
    public void MergesMeansTotalsAndSampleStdsByHand()
    {
        var a = new MetricPartials();
        a.Mean("m", 3, 2);                                                              // 1 + 2
        a.Total("t", 5);
        a.Mean("frac", 0, 0, zeroWhenEmpty: true);
        a.Mean("only_a", 1, 4);
        a.SampleStd("s", tensor(new double[] { 1, 2, 4 }));
        a.SampleStd("single", tensor(new double[] { 1 }));
        var b = new MetricPartials();
        b.Mean("m", 4, 1);
        b.Total("t", 2);
        b.Mean("frac", 0, 0, zeroWhenEmpty: true);
        b.Mean("empty", 0, 0);
        b.SampleStd("s", tensor(new double[] { 3, 7 }));
        b.SampleStd("single", tensor(new double[] { 3 }));
        b.SampleStd("none", zeros(0, dtype: ScalarType.Float64));

        MetricsBag alone = a.ToMetrics();
        Assert.Equal(0.0, alone["single"]);                                             // n = 1: 0, as GroupMath.SampleStd
        Near.Equal(Math.Sqrt(7.0 / 3), alone["s"], 1e-15);                              // mean 7/3, Σ(x − mean)² = 14/3, /(3 − 1)

        MetricsBag m = a.Merge(b).ToMetrics();
        Assert.Equal(7.0 / 3, m["m"]);
        Assert.Equal(7.0, m["t"]);
        Assert.Equal(0.0, m["frac"]);                                                   // a fraction of no tokens
        Assert.Equal(0.25, m["only_a"]);                                                // absent on one side: empty there
        Assert.False(m.ContainsKey("empty"));                                           // no items: absent, never NaN
        Assert.False(m.ContainsKey("none"));
        // {1, 2, 4, 3, 7}: mean 3.4, Σ(x − 3.4)² = 5.76 + 1.96 + 0.36 + 0.16 + 12.96 = 21.2, sample std √(21.2/4)
        Near.Equal(Math.Sqrt(5.3), m["s"], 1e-15);
        Near.Equal(Math.Sqrt(2), m["single"], 1e-15);                                   // {1} ∪ {3}
    }

    [Fact]
    public void MergingDifferentKindsUnderOneNameIsAnError()
    {
        var a = new MetricPartials();
        a.Mean("x", 1, 1);
        var b = new MetricPartials();
        b.Total("x", 1);
        Assert.Contains("metric x", Assert.Throws<InvalidOperationException>(() => a.Merge(b)).Message);
    }

    [Theory]
    [InlineData(2)]
    [InlineData(7)]
    [InlineData(64)]
    [InlineData(1001)]
    public void OnePartsSampleStdIsTorchsToTheLastBit(int n)
    {
        var rng = new Random(n);
        Tensor x = tensor(Enumerable.Range(0, n).Select(_ => rng.NextDouble() * 3 - 1).ToArray());
        var part = new MetricPartials();
        part.SampleStd("s", x);
        Assert.Equal(x.std(0, unbiased: true).item<double>(), part.ToMetrics()["s"]);
    }

    [Fact]
    public void ManyPartsMergeToTheWholeSampleStd()
    {
        var rng = new Random(5);
        double[] all = Enumerable.Range(0, 500).Select(_ => rng.NextDouble() * 10 + 1e3).ToArray();  // large mean: the naive Σx² form would lose digits
        var merged = new MetricPartials();
        for (int start = 0; start < all.Length;)
        {
            int size = Math.Min(rng.Next(0, 40), all.Length - start);
            var part = new MetricPartials();
            part.SampleStd("s", size == 0 ? zeros(0, dtype: ScalarType.Float64) : tensor(all[start..(start + size)]));
            merged.Merge(part);
            start += size;
        }
        Near.Equal(Reference.SampleStd(all), merged.ToMetrics()["s"], 1e-12);
    }
}
