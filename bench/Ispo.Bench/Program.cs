// Benchmarks: `dotnet run -c Release --project bench/Ispo.Bench -- <name>`; BenchmarkDotNet runs in-process
// (out-of-process builds would skip Directory.Build.targets and its TorchSharp fix).
return args.FirstOrDefault() switch
{
    "models" => Ispo.Bench.ModelsBench.Run(Console.Out, args.Length > 1 ? int.Parse(args[1]) : 2, args.Contains("--quick")),
    _ => Usage(),
};

static int Usage()
{
    Console.WriteLine("usage: dotnet run -c Release --project bench/Ispo.Bench -- <benchmark>   (benchmarks: models)");
    return 0;
}
