// `models` benchmark: the "10M" Llama-style model at fp32 on 2 threads — a training step (forward, backward,
// AdamW) and KV-cache decoding at batch 16 (128 and 256 new tokens) and batch 1 — plus peak memory.
using System.Diagnostics;
using Ispo.Models;
using Ispo.Models.Checkpoints;
using Ispo.Models.Config;
using Ispo.Models.Modules;
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
        int runs = quick ? 3 : 5;
        output.WriteLine($"model: {model.ParameterCount() / 1e6:F2}M parameters, fp32, {get_num_threads()} threads; {LoadAverage()}");
        output.WriteLine($"machine at start: {MachineSpeed(threads)}");
        output.WriteLine($"median of {runs} timed runs after warm-up, [range], tokens/s:");
        if (!quick)
        {
            output.WriteLine($"train step B=8 T=256:   {TrainRates(model, 8, 256, runs, CrossEntropy)}   (target >= 1900)");
            output.WriteLine($"  with Ispo's loss:     {TrainRates(model, 8, 256, runs, TokenLogProbLoss)}   (SFT's and the update's token log-probs)");
        }
        model.eval();
        Rates decode = DecodeRates(model, 16, 128, runs);
        output.WriteLine($"decode B=16, 128 new:   {decode}   (target >= 2700)");
        if (!quick)
        {
            Rates longer = DecodeRates(model, 16, 256, runs);
            output.WriteLine($"decode B=16, 256 new:   {longer}   ({longer.Median / decode.Median:P0} of the 128 rate; target >= 80%)");
        }
        output.WriteLine($"decode B=1,  128 new:   {DecodeRates(model, 1, 128, runs)}   (target >= 400)");
        output.WriteLine($"peak memory (VmHWM):    {PeakMemoryMiB():F0} MiB");
        output.WriteLine($"machine at end: {MachineSpeed(threads)}; {LoadAverage()}");
        return 0;
    }

    /// <summary>Rates of repeated runs. On a shared 2-core VM single runs scatter by ±15%; the median over runs
    /// after a warm-up is the steady rate a long training job sees. The first timed run is kept apart: it still
    /// pays the JIT's background recompilation, which a single short run would mistake for the code's speed.</summary>
    sealed record Rates(double First, double[] Steady)
    {
        public double Median => Steady.Order().ElementAt(Steady.Length / 2);
        public override string ToString() =>
            $"{Median,6:F0}  [{Steady.Min(),5:F0}–{Steady.Max(),5:F0}]  first run {First,5:F0}";
    }

    static Rates Measure(int runs, Func<double> rate)
    {
        double first = rate();
        return new Rates(first, [.. Enumerable.Range(0, runs).Select(_ => rate())]);
    }

    /// <summary>A training step's loss from logits [B,T,V] and the next tokens [B,T].</summary>
    delegate Tensor Loss(Tensor logits, Tensor targets);

    static Tensor CrossEntropy(Tensor logits, Tensor targets) =>
        nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), targets.reshape(-1));

    /// <summary>−mean log p(token), as SFT and the policy update compute it (fused on an AVX2 CPU).</summary>
    static Tensor TokenLogProbLoss(Tensor logits, Tensor targets) =>
        -TokenPicker.LogProbsAndEntropies(logits.view(-1, logits.shape[^1]), targets.reshape(-1), 1.0, withEntropy: false).LogProbs.mean();

    static Rates TrainRates(CausalLM model, int b, int t, int runs, Loss loss)
    {
        model.train();
        using var optimizer = optim.AdamW(model.parameters(), lr: 1e-4);
        using Tensor ids = randint(0, Small.VocabSize, [b, t + 1], generator: new Generator(3), dtype: ScalarType.Int64);
        double Step()
        {
            using var scope = NewDisposeScope();
            var clock = Stopwatch.StartNew();
            optimizer.zero_grad();
            Tensor logits = model.Forward(ids.narrow(1, 0, t)); // [B,T,V]
            loss(logits, ids.narrow(1, 1, t)).backward();
            optimizer.step();
            return b * t / clock.Elapsed.TotalSeconds;
        }
        Step(); // warm-up
        return Measure(runs, Step);
    }

    static Rates DecodeRates(CausalLM model, int batch, int newTokens, int runs)
    {
        var prompts = Enumerable.Range(0, batch).Select(i => (IReadOnlyList<int>)Enumerable.Range(0, 8).Select(j => 10 + i + j).ToArray()).ToArray();
        var options = new SamplingOptions { MaxNewTokens = newTokens, Seed = 1 };
        double Call()
        {
            var clock = Stopwatch.StartNew();
            var samples = Sampler.Generate(model, prompts, options);
            return samples.Sum(s => s.TokenIds.Length) / clock.Elapsed.TotalSeconds;
        }
        Sampler.Generate(model, prompts, options with { MaxNewTokens = 32 }); // warm-up
        return Measure(runs, Call);
    }

    /// <summary>Our packed kernel's GFLOPS at 1024³ on the bench's threads: how fast the VM's cores are right now
    /// (on 2 idle cores: 161–181 with AVX2 panels, 300–370 with AVX-512 ones; about half when the host is busy).</summary>
    static unsafe string MachineSpeed(int threads)
    {
        using Tensor x = randn(1024, 1024), w = randn(1024, 1024), y = empty(1024, 1024);
        using var packed = new PackedWeight(TensorBytes.Floats(w), 1024, 1024);
        float* xs = TensorBytes.Floats(x), ys = TensorBytes.Floats(y);
        packed.Multiply(xs, 1024, ys, threads);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 20; i++) packed.Multiply(xs, 1024, ys, threads);
        return $"1024³ matmul at {20 * 2.0 * 1024 * 1024 * 1024 / clock.Elapsed.TotalSeconds / 1e9:F0} GFLOPS";
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
