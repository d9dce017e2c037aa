// `signals-input` benchmark helper: writes an `ispo signals` batch with one very long rollout among short ones (issue
// 18, item 12), for bench/signals-long-rollout.sh to time and measure `ispo signals` on.
using System.Globalization;
using System.Text;

namespace Ispo.Bench;

public static class SignalsInputBench
{
    /// <summary>Writes <paramref name="groups"/> groups of <paramref name="groupSize"/> rollouts of 200–800 tokens, one
    /// of them <paramref name="longTokens"/> long, seeded.</summary>
    public static int Write(string path, int groups = 64, int groupSize = 8, int longTokens = 100_000)
    {
        var rng = new Random(18);
        using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        w.Write("{\"config\": {\"top_k\": 0.1}, \"rollouts\": [");
        for (int p = 0; p < groups; p++)
            for (int i = 0; i < groupSize; i++)
            {
                int n = p == groups / 2 && i == 0 ? longTokens : rng.Next(200, 801), answer = Math.Min(n, 3);
                double[] lp = Enumerable.Range(0, n).Select(_ => -3 * rng.NextDouble()).ToArray();
                if (p + i > 0) w.Write(",\n");
                w.Write($"{{\"group\": {p}, \"outcome\": {rng.Next(2)}, \"logprobs\": ");
                Numbers(w, lp);
                w.Write(", \"base_logprobs\": ");
                Numbers(w, lp.Select(x => Math.Min(0, x - (rng.NextDouble() - 0.3))));
                w.Write(", \"entropies\": ");
                Numbers(w, lp.Select(_ => 2 * rng.NextDouble()));
                w.Write(", \"answer_mask\": ");
                Numbers(w, Enumerable.Range(0, n).Select(t => t >= n - answer ? 1.0 : 0));
                w.Write(", \"ablated_answer_logprobs\": ");
                Numbers(w, Enumerable.Range(0, answer).Select(_ => -4 * rng.NextDouble()));
                w.Write('}');
            }
        w.Write("]}\n");
        return 0;
    }

    static void Numbers(TextWriter w, IEnumerable<double> values)
    {
        w.Write('[');
        bool first = true;
        foreach (double v in values)
        {
            if (!first) w.Write(", ");
            w.Write(v.ToString("G6", CultureInfo.InvariantCulture));
            first = false;
        }
        w.Write(']');
    }
}
