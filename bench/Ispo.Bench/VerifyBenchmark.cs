// `verify`: MathVerifier throughput and latency on one core over MATH-500 reference solutions used as completions:
// as written (correct), with the boxed answer respelled (correct), perturbed (wrong) and unboxed (no answer).
using System.Diagnostics;
using System.Text.Json;
using Ispo.MathVerify;
using Ispo.MathVerify.Extraction;

namespace Ispo.Bench;

public static class VerifyBenchmark
{
    public static int Run(string[] args)
    {
        int rounds = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 20;
        var pairs = Pairs(Path.Combine(RepoRoot(), "..", "shared", "data", "benchmarks", "math500.jsonl"));
        var reasons = pairs.GroupBy(p => MathVerifier.Verify(p.Completion, p.Gold).Reason.ToName()).ToDictionary(g => g.Key, g => g.Count());
        Console.WriteLine($"{pairs.Count} pairs; reasons: {string.Join(", ", reasons.Select(r => $"{r.Key} {r.Value}"))}");
        foreach (var (completion, gold) in pairs) MathVerifier.Verify(completion, gold);   // warm-up (JIT)
        var latencies = new double[pairs.Count * rounds];                        // microseconds
        double ticksToMicroseconds = 1e6 / Stopwatch.Frequency;
        TimeSpan cpuStarted = Process.GetCurrentProcess().TotalProcessorTime;
        long started = Stopwatch.GetTimestamp();
        for (int round = 0, k = 0; round < rounds; round++)
        {
            foreach (var (completion, gold) in pairs)
            {
                long t0 = Stopwatch.GetTimestamp();
                MathVerifier.Verify(completion, gold);
                latencies[k++] = (Stopwatch.GetTimestamp() - t0) * ticksToMicroseconds;
            }
        }
        double seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        double cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpuStarted).TotalSeconds;
        Array.Sort(latencies);
        // Wall-clock figures suffer on a shared machine; per CPU-second is the process's own work.
        Console.WriteLine($"{latencies.Length / seconds:N0} verifications/s wall, {latencies.Length / cpuSeconds:N0} per CPU-second, one thread; " +
                          $"p50 {Percentile(latencies, 0.50):F1} µs, p99 {Percentile(latencies, 0.99):F1} µs, max {latencies[^1]:F0} µs");
        return 0;
    }

    static double Percentile(double[] sorted, double q) => sorted[(int)Math.Min(sorted.Length - 1, q * sorted.Length)];

    /// <summary>Four completions per problem: correct, respelled, perturbed, without a box.</summary>
    static List<(string Completion, string Gold)> Pairs(string path)
    {
        var pairs = new List<(string, string)>();
        foreach (string line in File.ReadLines(path))
        {
            using var row = JsonDocument.Parse(line);
            string solution = row.RootElement.GetProperty("solution").GetString()!;
            string gold = row.RootElement.GetProperty("answer").GetString()!;
            int box = solution.LastIndexOf(@"\boxed", StringComparison.Ordinal);
            if (box < 0 || GoldAnswers.LastBoxed(solution) is not { } boxed) continue;
            string before = solution[..box], after = solution[(box + @"\boxed{".Length + boxed.Length + 1)..];
            pairs.Add((solution, gold));
            pairs.Add((before + @"\boxed{" + Respell(gold) + "}" + after, gold));
            pairs.Add((before + @"\boxed{" + Perturb(gold) + "}" + after, gold));
            pairs.Add((before + boxed + after, gold));
        }
        return pairs;
    }

    static string Respell(string gold) =>
        int.TryParse(gold, out int n) ? $"{n}.0" : gold.Replace(@"\frac", @"\dfrac", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);

    static string Perturb(string gold) => int.TryParse(gold, out int n) ? (n + 1).ToString() : gold + "+1";

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ispo.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException($"no Ispo.sln above {AppContext.BaseDirectory}");
    }
}
