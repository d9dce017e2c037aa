// `models` benchmark: the "10M" Llama-style model at fp32 on 2 threads — a training step (forward, backward,
// AdamW) and KV-cache decoding at batch 16 (128 and 256 new tokens) and batch 1 — with Ispo's CPU kernels and with
// libtorch's own operations (cpu_kernels: off, what PyTorch 2.10 runs), in alternating runs so that both meet the
// same machine; the ratio is Ispo's rate over libtorch's. Plus peak memory.
using System.Diagnostics;
using Ispo.Models;
using Ispo.Models.Config;
using Ispo.Models.Cpu;
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
        using CausalLM ispo = Model(CpuKernels.Auto), torch = Model(CpuKernels.Off);
        int runs = quick ? 3 : 5;
        output.WriteLine($"model: {ispo.ParameterCount() / 1e6:F2}M parameters, fp32, {get_num_threads()} threads; {LoadAverage()}");
        output.WriteLine($"machine at start: {MachineSpeed(threads)}");
        output.WriteLine($"tokens/s, median of {runs} timed runs after warm-up [range], Ispo's kernels and libtorch's alternating:");
        if (!quick)
        {
            output.WriteLine($"train step B=8 T=256:   {TrainRates(ispo, torch, 8, 256, runs, CrossEntropy)}   (target >= 1900)");
            output.WriteLine($"  with Ispo's loss:     {TrainRates(ispo, torch, 8, 256, runs, TokenLogProbLoss)}   (SFT's and the update's token log-probs)");
        }
        else output.WriteLine($"train step B=4 T=128:   {TrainRates(ispo, torch, 4, 128, runs, TokenLogProbLoss)}   (Ispo's loss)");
        ispo.eval();
        torch.eval();
        Comparison decode = DecodeRates(ispo, torch, 16, 128, runs);
        output.WriteLine($"decode B=16, 128 new:   {decode}   (target >= 2700)");
        if (!quick)
        {
            Comparison longer = DecodeRates(ispo, torch, 16, 256, runs);
            output.WriteLine($"decode B=16, 256 new:   {longer}   ({longer.Ispo.Median / decode.Ispo.Median:P0} of the 128 rate; target >= 80%)");
        }
        output.WriteLine($"decode B=1,  128 new:   {DecodeRates(ispo, torch, 1, 128, runs)}   (target >= 400)");
        output.WriteLine($"peak memory (VmHWM):    {PeakMemoryMiB():F0} MiB (both models)");
        output.WriteLine($"machine at end: {MachineSpeed(threads)}; {LoadAverage()}");
        return 0;
    }

    /// <summary>The bench model with the same weights whichever kernels it runs on.</summary>
    static CausalLM Model(CpuKernels kernels)
    {
        var model = new CausalLM(Small, cpuKernels: kernels);
        model.InitWeights(seed: 1);
        return model;
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

    /// <summary>Ispo's rates against libtorch's, run i of each side by side; the ratio is the median of the runs'
    /// ratios, so that a slow spell of the machine hits both sides of a pair.</summary>
    sealed record Comparison(Rates Ispo, Rates Torch)
    {
        public double Ratio => Ispo.Steady.Zip(Torch.Steady, (a, b) => a / b).Order().ElementAt(Ispo.Steady.Length / 2);
        public override string ToString() => $"Ispo {Ispo}  |  libtorch {Torch}  |  ×{Ratio:F2}";
    }

    /// <summary>Alternates the two sides, each going first in every other pair.</summary>
    static Comparison Measure(int runs, Func<double> ispo, Func<double> torch)
    {
        double firstIspo = ispo(), firstTorch = torch();
        var (a, b) = (new double[runs], new double[runs]);
        for (int i = 0; i < runs; i++)
        {
            if (i % 2 == 0) (a[i], b[i]) = (ispo(), torch());
            else (b[i], a[i]) = (torch(), ispo());
        }
        return new Comparison(new Rates(firstIspo, a), new Rates(firstTorch, b));
    }

    /// <summary>A training step's loss from logits [B,T,V] and the next tokens [B,T].</summary>
    delegate Tensor Loss(CausalLM model, Tensor logits, Tensor targets);

    static Tensor CrossEntropy(CausalLM model, Tensor logits, Tensor targets) =>
        nn.functional.cross_entropy(logits.view(-1, logits.shape[^1]), targets.reshape(-1));

    /// <summary>−mean log p(token), as SFT and the policy update compute it (fused by the kernels).</summary>
    static Tensor TokenLogProbLoss(CausalLM model, Tensor logits, Tensor targets) =>
        -TokenPicker.LogProbsAndEntropies(logits.view(-1, logits.shape[^1]), targets.reshape(-1), 1.0, withEntropy: false,
            model.Kernels.Backend).LogProbs.mean();

    static Comparison TrainRates(CausalLM ispo, CausalLM torch, int b, int t, int runs, Loss loss)
    {
        using Tensor ids = randint(0, Small.VocabSize, [b, t + 1], generator: new Generator(3), dtype: ScalarType.Int64);
        using var ispoStep = new TrainStep(ispo, ids, loss);
        using var torchStep = new TrainStep(torch, ids, loss);
        ispoStep.Run(); // warm-up
        torchStep.Run();
        return Measure(runs, ispoStep.Run, torchStep.Run);
    }

    /// <summary>One model's training steps over the same batch, with its own optimizer.</summary>
    sealed class TrainStep(CausalLM model, Tensor ids, Loss loss) : IDisposable
    {
        readonly optim.Optimizer optimizer = optim.AdamW(model.parameters(), lr: 1e-4);

        public double Run()
        {
            model.train();
            using var scope = NewDisposeScope();
            long b = ids.shape[0], t = ids.shape[1] - 1;
            var clock = Stopwatch.StartNew();
            optimizer.zero_grad();
            Tensor logits = model.Forward(ids.narrow(1, 0, t)); // [B,T,V]
            loss(model, logits, ids.narrow(1, 1, t)).backward();
            optimizer.step();
            return b * t / clock.Elapsed.TotalSeconds;
        }

        public void Dispose() => optimizer.Dispose();
    }

    static Comparison DecodeRates(CausalLM ispo, CausalLM torch, int batch, int newTokens, int runs)
    {
        var prompts = Enumerable.Range(0, batch).Select(i => (IReadOnlyList<int>)Enumerable.Range(0, 8).Select(j => 10 + i + j).ToArray()).ToArray();
        var options = new SamplingOptions { MaxNewTokens = newTokens, Seed = 1 };
        Func<double> Call(CausalLM model) => () =>
        {
            var clock = Stopwatch.StartNew();
            var samples = Sampler.Generate(model, prompts, options);
            return samples.Sum(s => s.TokenIds.Length) / clock.Elapsed.TotalSeconds;
        };
        Sampler.Generate(ispo, prompts, options with { MaxNewTokens = 32 }); // warm-up
        Sampler.Generate(torch, prompts, options with { MaxNewTokens = 32 });
        return Measure(runs, Call(ispo), Call(torch));
    }

    /// <summary>Our packed kernel's GFLOPS at 1024³ on the bench's threads: how fast the VM's cores are right now
    /// (on 2 idle cores: 161–181 with AVX2 panels, 300–370 with AVX-512 ones; about half when the host is busy).</summary>
    static unsafe string MachineSpeed(int threads)
    {
        using Tensor x = randn(1024, 1024), w = randn(1024, 1024), y = empty(1024, 1024);
        using var packed = new PackedWeight(TensorPointers.Floats(w), 1024, 1024);
        float* xs = TensorPointers.Floats(x), ys = TensorPointers.Floats(y);
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
