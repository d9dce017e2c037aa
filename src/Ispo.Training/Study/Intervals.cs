// 95% confidence intervals for accuracies measured on the same problems over several training seeds, and for the
// paired difference of two methods (same problems, same seeds, same base weights). Two sources of noise are added:
// which seed trained the policy (between-seed spread of the seeds' means, with Student's t for few seeds) and which
// problems were drawn (spread over problems of the per-problem mean over seeds, normal). Adding both is
// conservative: each seed's mean also carries problem noise. With one seed only the problem term remains.
namespace Ispo.Training.Study;

public readonly record struct Interval(double Mean, double Low, double High)
{
    public double HalfWidth => (High - Low) / 2;
}

public static class Intervals
{
    const double Z95 = 1.959963984540054;

    /// <summary>Mean of <paramref name="scores"/>[seed][problem] with its 95% interval (scores in 0..1, or differences).</summary>
    public static Interval Of(IReadOnlyList<IReadOnlyList<double>> scores)
    {
        int seeds = scores.Count, problems = scores.Count == 0 ? 0 : scores[0].Count;
        if (seeds == 0 || problems == 0) throw new ArgumentException("an interval needs at least one seed and one problem");
        if (scores.Any(s => s.Count != problems)) throw new ArgumentException("every seed must score the same problems");
        double[] seedMeans = scores.Select(s => s.Average()).ToArray();
        double[] problemMeans = Enumerable.Range(0, problems).Select(i => scores.Average(s => s[i])).ToArray();
        double mean = seedMeans.Average();
        double problemHalf = problems > 1 ? Z95 * Math.Sqrt(SampleVariance(problemMeans) / problems) : 0;
        double seedHalf = seeds > 1 ? StudentT975(seeds - 1) * Math.Sqrt(SampleVariance(seedMeans) / seeds) : 0;
        double half = Math.Sqrt(problemHalf * problemHalf + seedHalf * seedHalf);
        return new Interval(mean, mean - half, mean + half);
    }

    /// <summary>The paired difference a − b, problem by problem and seed by seed.</summary>
    public static Interval OfDifference(IReadOnlyList<IReadOnlyList<double>> a, IReadOnlyList<IReadOnlyList<double>> b)
    {
        if (a.Count != b.Count || a.Zip(b).Any(p => p.First.Count != p.Second.Count))
            throw new ArgumentException("a paired difference needs the same seeds and problems on both sides");
        return Of(a.Zip(b, (x, y) => (IReadOnlyList<double>)x.Zip(y, (u, v) => u - v).ToArray()).ToList());
    }

    public static double SampleVariance(IReadOnlyList<double> values)
    {
        if (values.Count < 2) return 0;
        double mean = values.Average();
        return values.Sum(v => (v - mean) * (v - mean)) / (values.Count - 1);
    }

    /// <summary>The 97.5% quantile of Student's t with <paramref name="df"/> degrees of freedom (table to 30, then
    /// the normal's value with Cornish-Fisher's first correction).</summary>
    public static double StudentT975(int df)
    {
        double[] table = [12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
                          2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042];
        if (df < 1) throw new ArgumentOutOfRangeException(nameof(df), df, "degrees of freedom must be ≥ 1");
        return df <= table.Length ? table[df - 1] : Z95 + (Z95 * Z95 * Z95 + Z95) / (4 * df);
    }
}
