// `training-memory` benchmark: what LoRA and gradient checkpointing save in an RL update step of the `small` preset
// (fp32, 2 threads): the base policy's scoring pass (full fine-tuning keeps a second model for π_θ0; LoRA scores the
// policy with its adapters off), then the policy's forward and backward over B rows of T tokens and one AdamW step.
// Peak memory: each configuration in a process of its own (VmHWM), with glibc's default of returning large freed
// blocks (MALLOC_MMAP_MAX_ unset by us), so that the peak is of live tensors rather than of a heap that keeps what
// it freed. Step time: one process per model, checkpointing on and off in alternating steps, so that both meet the
// same load on a shared machine.
using System.Diagnostics;
using Ispo.Models;
using Ispo.Models.Lora;
using Ispo.Models.Pretrained;
using Ispo.Models.Scoring;
using Ispo.Training.Trainer;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Bench;

public static class TrainingMemoryBench
{
    const int Rows = 16, Tokens = 256, TimedPairs = 4;

    /// <summary>Runs every case in child processes and prints them side by side.</summary>
    public static int Run(TextWriter output)
    {
        output.WriteLine($"RL update step, `small` preset, fp32, 2 threads, B={Rows} T={Tokens} (response = last half), AdamW; "
            + "LoRA: rank 16, alpha 32 on q/k/v/o/gate/up/down_proj; " + LoadAverage());
        output.WriteLine($"{"",-26} {"trainable",10} {"optimizer state",22} {"peak RSS",9} {"step time",10}");
        var peaks = new Dictionary<(bool, bool), double>();
        long fullState = 0;
        foreach (bool lora in new[] { false, true })
        {
            double[] times = Child("time", lora, false); // [trainable, state bytes, plain s, checkpointed s]
            fullState = lora ? fullState : (long)times[1];
            foreach (bool checkpointing in new[] { false, true })
            {
                double peak = peaks[(lora, checkpointing)] = Child("peak", lora, checkpointing)[0];
                string name = (lora ? "LoRA r16" : "full") + (checkpointing ? " + checkpointing" : "");
                output.WriteLine($"{name,-26} {times[0],10:N0} {times[1] / 1048576.0,10:F2} MiB ({times[1] / fullState,6:P1}) {peak,5:F0} MiB "
                    + $"{times[checkpointing ? 3 : 2],8:F3} s");
            }
            output.WriteLine($"  checkpointing: {times[3] / times[2] - 1:+0%;-0%} step time (median of {TimedPairs} alternating pairs), "
                + $"{peaks[(lora, true)] / peaks[(lora, false)] - 1:+0%;-0%} peak");
        }
        output.WriteLine($"LoRA vs full: peak {peaks[(true, false)] - peaks[(false, false)]:+0;-0} MiB; full's optimizer state {fullState / 1048576.0:F0} MiB, "
            + $"its gradients and base model {2 * BaseModelMiB():F0} MiB; {LoadAverage()}");
        return 0;
    }

    static double[] Child(string mode, bool lora, bool checkpointing)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileName(Environment.ProcessPath!) is "dotnet" or "dotnet.exe") start.ArgumentList.Add(Environment.GetCommandLineArgs()[0]); // else the app host
        foreach (string a in new[] { "training-memory-case", mode, lora ? "lora" : "full", checkpointing ? "checkpointing" : "plain" }) start.ArgumentList.Add(a);
        if (mode == "peak") start.Environment["MALLOC_MMAP_MAX_"] = "65536"; // glibc's default: TorchRuntime then leaves the allocator be
        using Process process = Process.Start(start)!;
        string text = process.StandardOutput.ReadToEnd(), errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{string.Join(' ', start.ArgumentList)} failed: {errors}{text}");
        return text.Trim().Split(' ').Select(v => double.Parse(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
    }

    /// <summary>One child: `peak` runs two steps and prints VmHWM in MiB; `time` prints trainable parameters, optimizer
    /// state bytes and the median seconds of plain and checkpointed steps, alternating.</summary>
    public static int RunCase(TextWriter output, string mode, bool lora, bool checkpointing)
    {
        set_num_threads(2);
        using CausalLM policy = Model();
        using CausalLM reference = lora ? policy.WithoutAdapters() : Model(); // as TrainingSetup.BaseModel
        if (lora) LoraAdapters.Attach(policy, new LoraOptions { Rank = 16, Alpha = 32 }, seed: 2);
        using AdamW optimizer = Optimizers.AdamW(policy, 1e-4);
        using var generator = new Generator(3);
        using Tensor ids = randint(3, policy.Config.VocabSize, [Rows, Tokens], generator: generator, dtype: ScalarType.Int64);
        using Tensor response = cat([zeros(Rows, Tokens / 2), ones(Rows, Tokens / 2)], 1);
        double Step(bool recompute)
        {
            policy.GradientCheckpointing = recompute;
            using var scope = NewDisposeScope();
            using (Scorer.Score(reference, ids, null, response)) { } // π_θ0's log-probs
            var clock = Stopwatch.StartNew();
            policy.train();
            using TokenScores scores = Scorer.Score(policy, ids, null, response, withGrad: true);
            (-(scores.LogProbs * response).sum() / response.sum()).backward();
            optimizer.step();
            optimizer.zero_grad();
            policy.eval();
            return clock.Elapsed.TotalSeconds;
        }
        if (mode == "peak")
        {
            Step(checkpointing);
            Step(checkpointing);
            output.WriteLine(FormattableString.Invariant($"{PeakMemoryMiB():F1}"));
            return 0;
        }
        Step(false);
        Step(true);
        var plain = new List<double>();
        var recomputed = new List<double>();
        for (int pair = 0; pair < TimedPairs; pair++)
        {
            bool first = pair % 2 == 0; // alternate which goes first
            (first ? plain : recomputed).Add(Step(!first));
            (first ? recomputed : plain).Add(Step(first));
        }
        long trainable = policy.parameters().Where(p => p.requires_grad).Sum(p => p.numel());
        output.WriteLine(FormattableString.Invariant($"{trainable} {OptimizerBytes(optimizer)} {Median(plain):F4} {Median(recomputed):F4}"));
        return 0;
    }

    static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

    static CausalLM Model()
    {
        var model = new CausalLM(ModelInit.Preset("small"));
        model.InitWeights(seed: 1);
        model.eval();
        return model;
    }

    static double BaseModelMiB() => ModelInit.Preset("small").ParameterCount() * 4 / 1048576.0;

    /// <summary>The optimizer's state as it saves it (AdamW: step, exp_avg and exp_avg_sq of each trained parameter).</summary>
    static long OptimizerBytes(AdamW optimizer)
    {
        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, System.Text.Encoding.UTF8, leaveOpen: true)) optimizer.save_state_dict(writer);
        return buffer.Length;
    }

    static double PeakMemoryMiB()
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? double.NaN : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
    }

    static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? "load average " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "";
}
