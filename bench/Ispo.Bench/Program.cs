// Benchmarks: `dotnet run -c Release --project bench/Ispo.Bench -- <name> [args]`; BenchmarkDotNet runs in-process
// (out-of-process builds would skip Directory.Build.targets and its TorchSharp fix).
using Ispo.Bench;

return args.FirstOrDefault() switch
{
    "verify" => VerifyBenchmark.Run(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("usage: dotnet run -c Release --project bench/Ispo.Bench -- <benchmark>   (benchmarks: verify)");
    return 1;
}
