// Options of one evaluation run; sampling settings (temperature, top-p, max tokens) belong to the generator.
using Ispo.Training.Prompts;

namespace Ispo.Training.Evaluation;

public sealed record EvalOptions
{
    /// <summary>K samples per problem; 1 means greedy in `ispo eval`.</summary>
    public int SamplesPerProblem { get; init; } = 1;
    public PromptTemplate Template { get; init; } = PromptTemplates.QwenMathCot;
    /// <summary>Problems per generator call (each with its pending samples).</summary>
    public int ProblemsPerBatch { get; init; } = 8;
    /// <summary>Where samples.jsonl, results.json and results.md go; null keeps everything in memory (in-training eval).</summary>
    public string? OutputDir { get; init; }
    /// <summary>Keep the samples already in OutputDir/samples.jsonl and generate only the missing ones.</summary>
    public bool Resume { get; init; }
    /// <summary>What decides the samples (model, template, sampling settings) as "name: value": saved with them, and
    /// a resume under other settings is refused, since it would blend two evaluations into one result.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();
}

/// <summary>Progress of one benchmark: completions graded so far out of the total.</summary>
public sealed record EvalProgress(string Benchmark, int Done, int Total);
