// One request's work for the batch worker: its prompts, sampling settings and seed, completed with its samples.
using Ispo.Models.Sampling;
using Ispo.Models.Tokenization;

namespace Ispo.Serve.Engine;

/// <param name="Options">Everything but the seed, the EOS ids and the stop-string decoder, which the worker sets
/// from the model it runs the batch on.</param>
/// <param name="Seed">The client's seed; null lets the job share a batch, under a seed from the server's stream.</param>
/// <param name="Adapter">The LoRA adapter the request named as its model; null: the base model.</param>
internal sealed class GenerationJob(IReadOnlyList<int[]> prompts, SamplingOptions options, long? seed, string? adapter = null)
{
    public string? Adapter { get; } = adapter;
    public IReadOnlyList<int[]> Prompts { get; } = prompts;
    public SamplingOptions Options { get; } = options;
    public long? Seed { get; } = seed;
    public int Rows => Prompts.Count * Options.SamplesPerPrompt;
    public BatchKey Key { get; } = BatchKey.Of(options, adapter);
    public TaskCompletionSource<JobResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A job's samples (row p·n+j from its prompt p) and the tokenizer of the model that drew them.</summary>
internal sealed record JobResult(IReadOnlyList<Sample> Samples, ITokenizer Tokenizer);

/// <summary>Jobs with equal keys can run as one sampler call: the sampler takes one set of options and one model (base or
/// one adapter) per call.</summary>
internal readonly record struct BatchKey(int SamplesPerPrompt, int MaxNewTokens, double Temperature, double TopP, int TopK,
    double LogProbTemperature, string StopStrings, string? Adapter)
{
    public static BatchKey Of(SamplingOptions o, string? adapter = null) => new(o.SamplesPerPrompt, o.MaxNewTokens, o.Temperature, o.TopP, o.TopK,
        o.LogProbTemperature, string.Join('\0', o.StopStrings), adapter);
}

/// <summary>The LoRA adapter a queued request named was unloaded before its batch ran.</summary>
internal sealed class AdapterGoneException(string name) : Exception($"the LoRA adapter '{name}' was unloaded before this request ran")
{
    public string Name { get; } = name;
}

/// <summary>The server is stopping (or stopped) and will not run this request.</summary>
internal sealed class ServerClosingException() : Exception("the server is shutting down");
