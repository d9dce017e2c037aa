// `serve` benchmark (issue 21's load test): N concurrent clients against `ispo serve` on loopback, each posting one
// seedless completion at a time, against back-to-back Sampler.Generate calls at batch size N on the same prompts.
// The machine is shared and its speed drifts, so the two alternate in short slices and each total is summed over
// its slices. Prints tokens/s of both, p50/p99 latency, failed requests, batches run, memory before and after.
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
    const int Slices = 5;

    public static int Run(TextWriter output, string[] args)
    {
        int clients = args.Length > 0 ? int.Parse(args[0]) : 8;
        double seconds = args.Length > 1 ? double.Parse(args[1]) : 20;
        int maxTokens = args.Length > 2 ? int.Parse(args[2]) : 64;
        string preset = args.Length > 3 ? args[3] : "demo";
        var window = TimeSpan.FromMilliseconds(args.Length > 4 ? double.Parse(args[4]) : 20);
        int rows = args.Length > 5 ? int.Parse(args[5]) : clients;
        string dir = Path.Combine(Directory.CreateTempSubdirectory("ispo-serve-bench-").FullName, preset);
        ModelInit.Create(ModelInit.Preset(preset), dir, seed: 1);
        string[] prompts = Enumerable.Range(0, clients).Select(i => $"Question {i}: what is {i} + {2 * i}? Answer:").ToArray();
        output.WriteLine($"model: {preset}; {clients} clients; {seconds:F0} s served and {seconds:F0} s local in {Slices} alternating slices; "
            + $"max_tokens {maxTokens}, temperature 1, batch window {window.TotalMilliseconds} ms");
        Measure(dir, prompts, rows, maxTokens, seconds, window, output).GetAwaiter().GetResult();
        return 0;
    }

    static async Task Measure(string dir, string[] prompts, int rows, int maxTokens, double seconds, TimeSpan window, TextWriter output)
    {
        using var policy = LoadedModel.LoadPretrained(dir);
        var ids = prompts.Take(rows).Select(p => (IReadOnlyList<int>)new RawFormat().Encode(policy.Tokenizer, [ChatMessage.User(p)])).ToList();
        await using ServeHost server = await ServeHost.StartAsync(new ServeOptions { ModelDir = dir, Port = 0, MaxBatchRows = rows, BatchWindow = window, Seed = 1 });
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(5) };
        await Task.WhenAll(prompts.Select(p => Post(http, p, maxTokens))); // warm-up: JIT, connections, a full batch's shapes
        Local(policy, ids, maxTokens, 1.0, seed: 0);

        (long managed, long process) before = Memory();
        long batchesBefore = server.BatchesRun;
        var load = new Load();
        (long tokens, double time) local = (0, 0);
        var rss = new List<long>();
        for (int slice = 0; slice < Slices; slice++)
        {
            var (tokens, time) = Local(policy, ids, maxTokens, seconds / Slices, seed: slice + 1);
            local = (local.tokens + tokens, local.time + time);
            await Serve(http, prompts, maxTokens, seconds / Slices, load);
            rss.Add(Memory().Process);
        }
        (long managed, long process) after = Memory();
        long batches = server.BatchesRun - batchesBefore;
        load.Latencies.Sort();
        double localRate = local.tokens / local.time, servedRate = load.Tokens / load.Time;
        output.WriteLine($"served: {load.Latencies.Count} requests answered, {load.Failed} failed, {load.Tokens} tokens in {load.Time:F1} s; "
            + $"{batches} batches ({(double)load.Latencies.Count / Math.Max(1, batches):F1} requests each)");
        output.WriteLine($"local: {local.tokens} tokens in {local.time:F1} s");
        output.WriteLine("slowest: " + string.Join(", ", load.Slowest.OrderByDescending(x => x.Latency).Take(3).Select(x => $"{x.Latency:F2} s at {x.At:F1} s")));
        output.WriteLine($"memory: managed heap {before.managed / 1e6:F1} → {after.managed / 1e6:F1} MB, process {before.process / 1e6:F0} → {after.process / 1e6:F0} MB "
            + $"(after each slice: {string.Join(", ", rss.Select(r => $"{r / 1e6:F0}"))})");
        output.WriteLine($"local sampler, batch {rows}: {localRate:F0} tokens/s");
        output.WriteLine($"served: {servedRate:F0} tokens/s = {servedRate / localRate:P0} of local; latency p50 {Percentile(load.Latencies, 0.50):F2} s, "
            + $"p99 {Percentile(load.Latencies, 0.99):F2} s");
    }

    /// <summary>Back-to-back Sampler.Generate calls over all prompts at once for about <paramref name="seconds"/>.</summary>
    static (long Tokens, double Time) Local(LoadedModel policy, List<IReadOnlyList<int>> ids, int maxTokens, double seconds, long seed)
    {
        var clock = Stopwatch.StartNew();
        long tokens = 0;
        do
        {
            var options = new SamplingOptions { MaxNewTokens = maxTokens, Temperature = 1.0, Seed = seed++ * 1000, EosTokenIds = policy.EosTokenIds };
            tokens += Sampler.Generate(policy.Model, ids, options).Sum(s => s.TokenIds.Length);
        } while (clock.Elapsed.TotalSeconds < seconds);
        return (tokens, clock.Elapsed.TotalSeconds);
    }

    sealed class Load
    {
        public readonly List<double> Latencies = [];
        public readonly List<(double Latency, double At)> Slowest = [];
        public long Tokens, Failed;
        public double Time;
    }

    /// <summary>Every client posts back to back until the slice ends; requests under way then are waited for.</summary>
    static async Task Serve(HttpClient http, string[] prompts, int maxTokens, double seconds, Load load)
    {
        var clock = Stopwatch.StartNew();
        double offset = load.Time;
        await Task.WhenAll(prompts.Select(async prompt =>
        {
            while (clock.Elapsed.TotalSeconds < seconds)
            {
                double at = offset + clock.Elapsed.TotalSeconds;
                var started = Stopwatch.StartNew();
                int? generated = await Post(http, prompt, maxTokens);
                double latency = started.Elapsed.TotalSeconds;
                lock (load)
                {
                    if (generated is not { } n) { load.Failed++; continue; }
                    load.Tokens += n;
                    load.Latencies.Add(latency);
                    load.Slowest.Add((latency, at));
                }
            }
        }));
        load.Time += clock.Elapsed.TotalSeconds;
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
