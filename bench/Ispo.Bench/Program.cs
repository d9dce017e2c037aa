// Benchmarks: `dotnet run -c Release --project bench/Ispo.Bench -- <name>`; BenchmarkDotNet runs in-process
// (out-of-process builds would skip Directory.Build.targets and its TorchSharp fix).
Console.WriteLine("usage: dotnet run -c Release --project bench/Ispo.Bench -- <benchmark>");
return 0;
