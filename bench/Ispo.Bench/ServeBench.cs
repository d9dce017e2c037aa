// `serve` benchmark (issue 21's load test): N concurrent clients against `ispo serve` on loopback for a fixed time,
// each posting one seedless completion at a time; served tokens/s against Sampler.Generate at batch size N on the
// same prompts, p50/p99 latency, requests that failed, batches run, and managed and process memory before/after.
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Ispo.Models.Chat;
using Ispo.Models.Pretrained;
using Ispo.Models.Sampling;
using Ispo.Serve;

namespace Ispo.Bench;

public static class ServeBench
{
    public static int Run(TextWriter output, string[] args)
    {
        int clients = args.Length > 0 ? int.Parse(args[0]) : 8;
        double seconds = args.Length > 1 ? double.Parse(args[1]) : 20;
        int maxTokens = args.Length > 2 ? int.Parse(args[2]) : 64;
        string preset = args.Length > 3 ? args[3] : "demo";
        var window = TimeSpan.FromMilliseconds(args.Length > 4 ? double.Parse(args[4]) : 20);
        string dir = Path.Combine(Directory.CreateTempSubdirectory("ispo-serve-bench-").FullName, preset);
        ModelInit.Create(ModelInit.Preset(preset), dir, seed: 1);
        string[] prompts = Enumerable.Range(0, clients).Select(i => $"Question {i}: what is {i} + {2 * i}? Answer:").ToArray();
        output.WriteLine($"model: {preset} ({dir}); {clients} clients, {seconds:F0} s, max_tokens {maxTokens}, temperature 1, batch window {window.TotalMilliseconds} ms");

        // The machine is shared: the local rate is measured before and after the load and averaged.
        double before = LocalRate(dir, prompts, maxTokens, seconds / 2, output);
        (double served, double p50, double p99) = ServedRate(dir, prompts, maxTokens, seconds, window, output).GetAwaiter().GetResult();
        double after = LocalRate(dir, prompts, maxTokens, seconds / 2, output);
        double local = (before + after) / 2;
        output.WriteLine($"local sampler, batch {clients}: {local:F0} tokens/s (before {before:F0}, after {after:F0})");
        output.WriteLine($"served: {served:F0} tokens/s = {served / local:P0} of local; latency p50 {p50:F2} s, p99 {p99:F2} s");
        return 0;
    }

    /// <summary>Generated tokens per second of back-to-back Sampler.Generate calls over all prompts at once.</summary>
    static double LocalRate(string dir, string[] prompts, int maxTokens, double seconds, TextWriter output)
    {
        using var policy = PolicyModel.LoadPretrained(dir);
        var ids = prompts.Select(p => (IReadOnlyList<int>)new RawFormat().Encode(policy.Tokenizer, [ChatMessage.User(p)])).ToList();
        var clock = Stopwatch.StartNew();
        long tokens = 0;
        int calls = 0;
        for (long seed = 0; clock.Elapsed.TotalSeconds < seconds || calls < 2; seed++, calls++)
        {
            var options = new SamplingOptions { MaxNewTokens = maxTokens, Temperature = 1.0, Seed = seed, EosTokenIds = policy.EosTokenIds };
            tokens += Sampler.Generate(policy.Model, ids, options).Sum(s => s.TokenIds.Length);
        }
        output.WriteLine($"local: {calls} calls, {tokens} tokens in {clock.Elapsed.TotalSeconds:F1} s");
        return tokens / clock.Elapsed.TotalSeconds;
    }

    static async Task<(double Rate, double P50, double P99)> ServedRate(string dir, string[] prompts, int maxTokens, double seconds, TimeSpan window,
        TextWriter output)
    {
        await using ServeHost server = await ServeHost.StartAsync(new ServeOptions { ModelDir = dir, Port = 0, MaxBatchRows = prompts.Length, BatchWindow = window, Seed = 1 });
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        await Task.WhenAll(prompts.Select(p => Post(http, p, maxTokens))); // warm-up: JIT, connections, a full batch's shapes
        (long managed, long process) before = Memory();
        long batchesBefore = server.BatchesRun;
        var latencies = new List<double>();
        var slowest = new List<(double Latency, double At)>();
        long tokens = 0, failed = 0;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(prompts.Select(async prompt =>
        {
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                double at = clock.Elapsed.TotalSeconds;
                var started = Stopwatch.StartNew();
                int? generated = await Post(http, prompt, maxTokens);
                lock (latencies)
                {
                    if (generated is { } n) { tokens += n; latencies.Add(started.Elapsed.TotalSeconds); slowest.Add((started.Elapsed.TotalSeconds, at)); }
                    else failed++;
                }
            }
        }));
        double elapsed = clock.Elapsed.TotalSeconds;
        (long managed, long process) after = Memory();
        latencies.Sort();
        long batches = server.BatchesRun - batchesBefore;
        output.WriteLine($"served: {latencies.Count} requests answered, {failed} failed, {tokens} tokens in {elapsed:F1} s; {batches} batches "
            + $"({(double)latencies.Count / Math.Max(1, batches):F1} requests each)");
        output.WriteLine("slowest: " + string.Join(", ", slowest.OrderByDescending(x => x.Latency).Take(5).Select(x => $"{x.Latency:F2} s at {x.At:F1} s")));
        output.WriteLine($"memory: managed heap {before.managed / 1e6:F1} → {after.managed / 1e6:F1} MB, process {before.process / 1e6:F0} → {after.process / 1e6:F0} MB");
        return (tokens / elapsed, Percentile(latencies, 0.50), Percentile(latencies, 0.99));
    }

    static async Task<int?> Post(HttpClient http, string prompt, int maxTokens)
    {
        using var response = await http.PostAsJsonAsync("v1/completions", new { prompt, max_tokens = maxTokens, temperature = 1.0 });
        if (!response.IsSuccessStatusCode) return null;
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32();
    }

    static (long Managed, long Process) Memory()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        using var self = Process.GetCurrentProcess();
        return (GC.GetGCMemoryInfo().HeapSizeBytes, self.WorkingSet64);
    }

    static double Percentile(List<double> sorted, double q) => sorted.Count == 0 ? double.NaN : sorted[(int)Math.Min(sorted.Count - 1, Math.Floor(q * sorted.Count))];
}
