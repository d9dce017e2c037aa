// `ispo eval`: scores a model on math benchmarks (greedy pass@1, or avg@K / pass@k from K samples) and writes
// results.json, results.md and samples.jsonl; --resume continues an interrupted run from samples.jsonl.
using System.CommandLine;
using Ispo.Models;
using Ispo.Models.Pretrained;
using Ispo.Training.Trainer;
using Ispo.Training.Data;
using Ispo.Training.Evaluation;
using Ispo.Training.Hub;
using Ispo.Training.Prompts;
using TorchSharp;

namespace Ispo.Cli.Commands;

public static class EvalCommand
{
    public const double DefaultSampledTemperature = 0.6;

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model directory or Hub repository id", Required = true };
        var benchmarks = new Option<string>("--benchmarks")
        {
            Description = $"Comma-separated benchmarks ({string.Join(", ", DatasetRegistry.BenchmarkNames)})", Required = true,
        };
        var limit = new Option<int?>("--limit") { Description = "Evaluate only the first N problems of each benchmark" };
        var n = new Option<int>("--n") { Description = "Samples per problem (1 = greedy)", DefaultValueFactory = _ => 1 };
        var temperature = new Option<double?>("--temperature") { Description = $"Sampling temperature (default 0 for --n 1, else {DefaultSampledTemperature})" };
        var topP = new Option<double>("--top-p") { Description = "Nucleus mass", DefaultValueFactory = _ => 1.0 };
        var topK = new Option<int>("--top-k") { Description = "Keep the k most likely tokens (0 = off)", DefaultValueFactory = _ => 0 };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Tokens to generate at most", DefaultValueFactory = _ => 2048 };
        var template = new Option<string>("--template")
        {
            Description = "Prompt template: qwen-math, dapo, plain (add -raw for base models)", DefaultValueFactory = _ => PromptTemplates.QwenMathCot.Name,
        };
        var outDir = new Option<string>("--out") { Description = "Output directory", DefaultValueFactory = _ => "eval-results" };
        var resume = new Option<bool>("--resume") { Description = "Keep the samples already in --out and generate only the missing ones" };
        var dataDir = new Option<string?>("--data-dir") { Description = "Local data directory (default ../shared/data when present, else the Hub)" };
        var seed = new Option<long>("--seed") { Description = "Sampling seed", DefaultValueFactory = _ => 0 };
        var batchSize = new Option<int>("--batch-size") { Description = "Problems per generation batch", DefaultValueFactory = _ => 8 };
        var threads = new Option<int?>("--threads") { Description = "CPU threads for libtorch (default: libtorch's own choice)" };
        var cpuKernels = CpuKernelsOption.Create();
        var command = new Command("eval", "Evaluate a model on math benchmarks (pass@1, avg@K, pass@k).");
        foreach (Option o in new Option[] { model, benchmarks, limit, n, temperature, topP, topK, maxNew, template, outDir, resume, dataDir, seed, batchSize, threads, cpuKernels })
            command.Options.Add(o);
        command.SetAction((parse, cancellationToken) => Task.FromResult(CommandErrors.Run(parse, () =>
        {
            int samples = parse.GetValue(n);
            var request = new EvalRun(
                parse.GetValue(model)!, ParseList(parse.GetValue(benchmarks)!), parse.GetValue(limit), parse.GetValue(dataDir) ?? TrainingSetup.DefaultDataDir(),
                new GenerationSettings
                {
                    SamplesPerProblem = samples, Temperature = parse.GetValue(temperature) ?? (samples == 1 ? 0 : DefaultSampledTemperature),
                    TopP = parse.GetValue(topP), TopK = parse.GetValue(topK), MaxNewTokens = parse.GetValue(maxNew), Seed = parse.GetValue(seed),
                },
                new EvalOptions
                {
                    SamplesPerProblem = samples, Template = PromptTemplates.Get(parse.GetValue(template)!), ProblemsPerBatch = parse.GetValue(batchSize),
                    OutputDir = Path.GetFullPath(parse.GetValue(outDir)!), Resume = parse.GetValue(resume),
                }, parse.GetValue(cpuKernels));
            request = request with { Options = request.Options with { Settings = Settings(request) } };
            if (parse.GetValue(threads) is int count)
                torch.set_num_threads(count);
            return Evaluate(request, parse.InvocationConfiguration.Output, cancellationToken);
        })));
        return command;
    }

    /// <summary>Everything one evaluation needs, parsed from the command line.</summary>
    sealed record EvalRun(string Model, IReadOnlyList<string> Benchmarks, int? Limit, string? DataDir, GenerationSettings Generation, EvalOptions Options,
        CpuKernels CpuKernels);

    static int Evaluate(EvalRun run, TextWriter output, CancellationToken cancellationToken)
    {
        foreach (string name in run.Benchmarks)
            DatasetRegistry.Get(name);                                      // unknown names fail before any download
        using var hub = new HubClient(HubOptions.FromEnvironment());
        try
        {
            string modelDir = HubResolver.ResolveModelAsync(run.Model, run.DataDir, hub, cancellationToken: cancellationToken).GetAwaiter().GetResult();
            var datasets = run.Benchmarks
                .Select(name => DatasetRegistry.ResolveAsync(name, run.DataDir, hub, run.Limit, cancellationToken).GetAwaiter().GetResult())
                .ToList();
            using var policy = LoadedModel.LoadPretrained(modelDir, cpuKernels: run.CpuKernels);
            output.WriteLine($"model: {modelDir} ({TrainingSetup.KernelsNote(policy.Model)})");
            var evaluator = new Evaluator(new SamplerCompletionGenerator(policy, run.Generation), MathVerifyAnswer.Create(), run.Options);
            var display = EvalDisplay.For(output);
            var clock = RunClock.Start();
            EvaluationResults results = display.Run(datasets, (progress, ct) => evaluator.Run(datasets, progress, ct), cancellationToken);
            display.ShowResults(results);
            output.WriteLine(clock.Summary(results.Average.Problems));
            output.WriteLine($"wrote {ResultsWriter.JsonFileName}, {ResultsWriter.MarkdownFileName} and {Evaluator.SamplesFileName} to {run.Options.OutputDir}");
            return 0;
        }
        catch (HubException e)
        {
            throw new IOException(e.Message, e);
        }
        catch (OperationCanceledException)
        {
            output.WriteLine($"interrupted: finished samples are in {run.Options.OutputDir}; run again with --resume to continue");
            return 130;
        }
    }

    /// <summary>What decides the samples (not --n: a resume may add samples per problem). --cpu-kernels is kept only
    /// when off, so folders evaluated before the switch existed still resume.</summary>
    static Dictionary<string, string> Settings(EvalRun run)
    {
        Dictionary<string, string> settings = new()
        {
            ["--model"] = Directory.Exists(run.Model) ? Path.GetFullPath(run.Model) : run.Model,
            ["--template"] = run.Options.Template.Name,
            ["--temperature"] = Invariant(run.Generation.Temperature),
            ["--top-p"] = Invariant(run.Generation.TopP),
            ["--top-k"] = Invariant(run.Generation.TopK),
            ["--max-new-tokens"] = Invariant(run.Generation.MaxNewTokens),
            ["--seed"] = Invariant(run.Generation.Seed),
        };
        if (run.CpuKernels != CpuKernels.Auto) settings["--cpu-kernels"] = "off";
        return settings;
    }

    static string Invariant(IFormattable value) => value.ToString(null, System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Wall and CPU time of the evaluation (CPU time tells more on a shared machine).</summary>
    readonly record struct RunClock(System.Diagnostics.Stopwatch Wall, TimeSpan CpuAtStart)
    {
        public static RunClock Start() => new(System.Diagnostics.Stopwatch.StartNew(), System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime);

        public string Summary(int problems)
        {
            double wall = Wall.Elapsed.TotalSeconds, cpu = (System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime - CpuAtStart).TotalSeconds;
            return string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{problems} problems in {wall:F1} s ({problems / Math.Max(wall, 1e-9):F2} problems/s, {cpu:F1} CPU s)");
        }
    }

    static string[] ParseList(string text) =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) is { Length: > 0 } names
            ? names
            : throw new ArgumentException("--benchmarks needs at least one benchmark name");
}
