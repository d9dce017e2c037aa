// The unbiased pass@k estimator of Chen et al. (2021, "Evaluating Large Language Models Trained on Code", eq. 1):
// pass@k = 1 − C(n−c, k) / C(n, k), computed as a product so large n never overflows.
namespace Ispo.Training.Evaluation;

public static class PassAtK
{
    /// <summary>Probability that at least one of k samples drawn without replacement from n (c correct) is correct.</summary>
    public static double Estimate(int n, int c, int k)
    {
        if (k < 1 || k > n || c < 0 || c > n)
            throw new ArgumentOutOfRangeException(nameof(k), $"pass@k needs 1 ≤ k ≤ n and 0 ≤ c ≤ n (n={n}, c={c}, k={k})");
        if (n - c < k)
            return 1.0;
        // C(n−c, k) / C(n, k) = Π_{i=n−c+1..n} (1 − k/i)
        double allWrong = 1.0;
        for (int i = n - c + 1; i <= n; i++)
            allWrong *= 1.0 - (double)k / i;
        return 1.0 - allWrong;
    }

    /// <summary>The k values reported for K samples: 1, 2, 4, … ≤ K, plus K itself.</summary>
    public static IReadOnlyList<int> ReportedKs(int samples)
    {
        var ks = new List<int>();
        for (int k = 1; k <= samples; k *= 2)
            ks.Add(k);
        if (samples > 0 && ks[^1] != samples)
            ks.Add(samples);
        return ks;
    }
}
