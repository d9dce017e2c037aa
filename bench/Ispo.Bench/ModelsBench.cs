// `models` benchmark: the "10M" Llama-style model at fp32 on 2 threads — a training step (forward, backward,
// AdamW) and KV-cache decoding at batch 16 (128 and 256 new tokens) and batch 1 — plus peak memory.
using System.Diagnostics;
using Ispo.Models;
using Ispo.Models.Config;
using Ispo.Models.Sampling;
using static TorchSharp.torch;

namespace Ispo.Bench;

public static class ModelsBench
{
    public static readonly ModelConfig Small = new()
    {
        Architecture = Architecture.Llama, VocabSize = 8192, HiddenSize = 320, IntermediateSize = 864, NumHiddenLayers = 6,
        NumAttentionHeads = 5, NumKeyValueHeads = 5, HeadDim = 64, MaxPositionEmbeddings = 1024, TieWordEmbeddings = true,
    };

    public static int Run(TextWriter output, int threads = 2, bool quick = false)
    {
        set_num_threads(threads);
        using var model = new CausalLM(Small);
        model.InitWeights(seed: 1);
        output.WriteLine($"model: {model.ParameterCount() / 1e6:F2}M parameters, fp32, {get_num_threads()} threads; {LoadAverage()}");
        if (!quick) output.WriteLine($"train step B=8 T=256:  {TrainTokensPerSecond(model, 8, 256)}   (target >= 1900 tok/s)");
        model.eval();
        output.WriteLine($"decode B=16, 128 new:  {DecodeTokensPerSecond(model, 16, 128)}   (target >= 2700 tok/s)");
        if (!quick) output.WriteLine($"decode B=16, 256 new:  {DecodeTokensPerSecond(model, 16, 256)}   (target >= 80% of the 128 rate)");
        output.WriteLine($"decode B=1,  128 new:  {DecodeTokensPerSecond(model, 1, 128)}   (target >= 400 tok/s)");
        output.WriteLine($"peak memory (VmHWM):      {PeakMemoryMiB(),8:F0} MiB; {LoadAverage()}");
        return 0;
    }

    /// <summary>Wall-clock and process-CPU seconds of an action: on a shared machine CPU time shows what the
    /// code costs when other processes steal the cores.</summary>
    sealed class Timer
    {
        readonly Stopwatch wall = Stopwatch.StartNew();
        readonly TimeSpan cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        public double Wall => wall.Elapsed.TotalSeconds;
        public double Cpu => (Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalSeconds;
        public string Rate(double tokens) => $"{tokens / Wall,8:F0} tok/s wall, {tokens / Cpu,8:F0} tok/cpu-s";
    }

    static string TrainTokensPerSecond(CausalLM model, int b, int t, int steps = 3)
    {
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-4);
        using Tensor ids = randint(0, Small.VocabSize, [b, t + 1], generator: new Generator(3), dtype: ScalarType.Int64);
        void Step()
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            Tensor logits = model.Forward(ids.narrow(1, 0, t)); // [B,T,V]
            Tensor loss = nn.functional.cross_entropy(logits.view(-1, Small.VocabSize), ids.narrow(1, 1, t).reshape(-1));
            loss.backward();
            optimizer.step();
        }
        Step(); // warm-up
        var timer = new Timer();
        for (int i = 0; i < steps; i++) Step();
        return timer.Rate(steps * b * t);
    }

    static string DecodeTokensPerSecond(CausalLM model, int batch, int newTokens)
    {
        var prompts = Enumerable.Range(0, batch).Select(i => (IReadOnlyList<int>)Enumerable.Range(0, 8).Select(j => 10 + i + j).ToArray()).ToArray();
        var options = new SamplingOptions { MaxNewTokens = newTokens, Seed = 1 };
        Sampler.Generate(model, prompts, options with { MaxNewTokens = 32 }); // warm-up, long enough for tiered JIT to settle
        var timer = new Timer();
        var samples = Sampler.Generate(model, prompts, options);
        return timer.Rate(samples.Sum(s => s.TokenIds.Length));
    }

    /// <summary>The machine's 1/5/15-minute load: on a shared machine the wall-clock rates depend on it.</summary>
    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? "load average " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "";

    static double PeakMemoryMiB()
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }
}
