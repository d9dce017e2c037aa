// One request's work for the batch worker: its prompts, sampling settings and seed, completed with its samples.
using Ispo.Models.Sampling;
using Ispo.Models.Tokenization;

namespace Ispo.Serve.Engine;

/// <param name="Options">Everything but the seed, the EOS ids and the stop-string decoder, which the worker sets
/// from the model it runs the batch on.</param>
/// <param name="Seed">The client's seed; null lets the job share a batch, under a seed from the server's stream.</param>
internal sealed class GenerationJob(IReadOnlyList<int[]> prompts, SamplingOptions options, long? seed)
{
    public IReadOnlyList<int[]> Prompts { get; } = prompts;
    public SamplingOptions Options { get; } = options;
    public long? Seed { get; } = seed;
    public int Rows => Prompts.Count * Options.SamplesPerPrompt;
    public BatchKey Key { get; } = BatchKey.Of(options);
    public TaskCompletionSource<JobResult> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>A job's samples (row p·n+j from its prompt p) and the tokenizer of the model that drew them.</summary>
internal sealed record JobResult(IReadOnlyList<Sample> Samples, ITokenizer Tokenizer);

/// <summary>Jobs with equal keys can run as one sampler call: the sampler takes one set of options per call.</summary>
internal readonly record struct BatchKey(int SamplesPerPrompt, int MaxNewTokens, double Temperature, double TopP, int TopK,
    double LogProbTemperature, string StopStrings)
{
    public static BatchKey Of(SamplingOptions o) => new(o.SamplesPerPrompt, o.MaxNewTokens, o.Temperature, o.TopP, o.TopK,
        o.LogProbTemperature, string.Join('\0', o.StopStrings));
}

/// <summary>The server is stopping (or stopped) and will not run this request.</summary>
internal sealed class ServerClosingException() : Exception("the server is shutting down");
