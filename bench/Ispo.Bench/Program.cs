// Benchmarks: `dotnet run -c Release --project bench/Ispo.Bench -- <name> [args]`; BenchmarkDotNet runs in-process
// (out-of-process builds would skip Directory.Build.targets and its TorchSharp fix).
using Ispo.Bench;
using Ispo.Models.Runtime;

TorchRuntime.ConfigureOpenMp(); // before libtorch loads: spinning OpenMP threads ruin 2-thread rates on a shared machine
if (args.FirstOrDefault() == "serve") TorchRuntime.ReturnFreedMemory(); // as `ispo serve` runs (the local sampler beside it too)
TorchRuntime.ConfigureAllocator(); // freed activations stay in the heap: no page faults re-allocating them every step

return args.FirstOrDefault() switch
{
    "algorithms" => AlgorithmsBenchmark.Run(args[1..]),
    "models" => ModelsBench.Run(Console.Out, args.Length > 1 && int.TryParse(args[1], out int threads) ? threads : 2, args.Contains("--quick")),
    "verify" => VerifyBenchmark.Run(args[1..]),
    "memory" => MemoryBench.Run(Console.Out),
    "plan" => PlanBench.Run(args[1..], Console.Out),
    "training-memory" => TrainingMemoryBench.Run(Console.Out),
    "training-memory-case" => TrainingMemoryBench.RunCase(Console.Out, args[1], args[2] == "lora", args[3] == "checkpointing"),
    "gemm" => GemmBench.Run(Console.Out, args.Length > 1 && int.TryParse(args[1], out int gemmThreads) ? gemmThreads : 1),
    "serve" => ServeBench.Run(Console.Out, args[1..]),
    "signals-input" => SignalsInputBench.Write(args[1], longTokens: args.Length > 2 ? int.Parse(args[2]) : 100_000),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("usage: dotnet run -c Release --project bench/Ispo.Bench -- <benchmark> [args]");
    Console.WriteLine("benchmarks: algorithms [rows=512] [tokens=4096] [forwardRows=2]");
    Console.WriteLine("            models [threads=2] [--quick]");
    Console.WriteLine("            verify [rounds]");
    Console.WriteLine("            gemm [threads=1]");
    Console.WriteLine("            memory");
    Console.WriteLine("            serve [clients=8] [seconds=20] [max_tokens=64] [preset=demo] [window_ms=20]");
    Console.WriteLine("            plan [recipe=ispo] [key=value …]   (see bench/plan-vs-measured.sh)");
    Console.WriteLine("            training-memory        (LoRA and gradient checkpointing: optimizer state, peak memory, step time)");
    Console.WriteLine("            signals-input FILE [long_tokens=100000]   (see bench/signals-long-rollout.sh)");
    return 2;
}
