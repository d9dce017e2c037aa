// The evaluator's generator backed by a loaded policy: renders prompts through a chat format (the tokenizer's, or
// one named), decodes greedily in batches of problems, or draws K samples per problem with a seed of its own per
// problem (or, for the study's tier scores, one stream per batch of problems).
using Ispo.Models.Pretrained;
using Ispo.Models.Sampling;
using Ispo.Models.Tokenization;
using Ispo.Training.Prompts;
using Ispo.Training.Rollouts;
using Ispo.Training.Tasks;
using Ispo.Training.Trainer;

namespace Ispo.Training.Evaluation;

/// <summary>Decoding settings of an evaluation; Temperature 0 (or SamplesPerProblem 1 with Greedy) is greedy.</summary>
public sealed record GenerationSettings
{
    /// <summary>K: every sampled problem draws all K samples, so sample j is the same whichever indices are pending.</summary>
    public int SamplesPerProblem { get; init; } = 1;
    public int MaxNewTokens { get; init; } = 1024;
    /// <summary>0 means greedy decoding.</summary>
    public double Temperature { get; init; }
    public double TopP { get; init; } = 1.0;
    public int TopK { get; init; }
    public long Seed { get; init; }
    /// <summary>auto (the tokenizer_config's chat format, else raw), raw, chatml, qwen or llama3: as data.chat_format.</summary>
    public string ChatFormat { get; init; } = "auto";
    /// <summary>More strings that end a completion (e.g. the recipe's rollout.stop_strings). Unlike the chat format's
    /// own stop strings, which are cut from the text, they stay in the completion that is graded, as in training.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];
    public SampleSeeding Seeding { get; init; } = SampleSeeding.PerProblem;

    public bool IsGreedy => Temperature == 0;
}

/// <summary>How sampled completions are seeded.</summary>
public enum SampleSeeding
{
    /// <summary>A seed per problem from the run seed, benchmark and problem index: a resumed evaluation, or one in
    /// other batches, draws the same samples.</summary>
    PerProblem,
    /// <summary>One stream per generator call for all K samples of all its problems, seeded Seed + the index of the
    /// call's first problem: the samples depend on the batches (the study's tier scores, kept for its figures).</summary>
    PerBatch,
}

public sealed class SamplerCompletionGenerator : ICompletionGenerator
{
    readonly LoadedModel policy;
    readonly GenerationSettings settings;
    readonly TaskFormat format;

    public SamplerCompletionGenerator(LoadedModel policy, GenerationSettings settings)
    {
        if (settings.SamplesPerProblem < 1)
            throw new ArgumentOutOfRangeException(nameof(settings), "SamplesPerProblem must be at least 1");
        this.policy = policy;
        this.settings = settings;
        // The prompts arrive rendered, so the template is unused; the format supplies chat rendering and encoding.
        format = new TaskFormat(policy.Tokenizer, PromptTemplates.Plain, TaskFormat.ChatFor(policy.Tokenizer, settings.ChatFormat), policy.EosTokenIds);
    }

    /// <summary>Prompt token ids: the problem text is encoded as untrusted content inside the format's template.</summary>
    public int[] EncodePrompt(RenderedPrompt prompt) => format.Encode(prompt);

    public IReadOnlyList<IReadOnlyList<Completion>> Generate(IReadOnlyList<GenerationRequest> requests, CancellationToken cancellationToken) =>
        settings.IsGreedy ? GenerateGreedy(requests)
        : settings.Seeding == SampleSeeding.PerBatch ? SampleBatch(requests)
        : requests.Select(r => SampleProblem(r, cancellationToken)).ToList();

    /// <summary>One batched call for all problems; every requested sample index gets the (identical) greedy completion.</summary>
    List<IReadOnlyList<Completion>> GenerateGreedy(IReadOnlyList<GenerationRequest> requests)
    {
        var prompts = requests.Select(r => (IReadOnlyList<int>)EncodePrompt(r.Prompt)).ToList();
        IReadOnlyList<Sample> samples = Sampler.Generate(policy.Model, prompts, Options(requests[0].Prompt, rows: 1, seed: settings.Seed));
        return requests.Select((r, i) => (IReadOnlyList<Completion>)r.SampleIndices.Select(_ => ToCompletion(samples[i], r.Prompt)).ToList()).ToList();
    }

    /// <summary>All K samples of one problem from its own seed, keeping the requested indices.</summary>
    IReadOnlyList<Completion> SampleProblem(GenerationRequest request, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        CheckSampleIndices(request);
        int[] prompt = EncodePrompt(request.Prompt);
        long seed = ProblemSeed(settings.Seed, request.Benchmark, request.ProblemIndex);
        IReadOnlyList<Sample> samples = Sampler.Generate(policy.Model, [prompt], Options(request.Prompt, settings.SamplesPerProblem, seed));
        return request.SampleIndices.Select(j => ToCompletion(samples[j], request.Prompt)).ToList();
    }

    /// <summary>All K samples of every problem in one call, from one stream seeded Seed + the first problem's index;
    /// sample j of request i is row i·K + j.</summary>
    List<IReadOnlyList<Completion>> SampleBatch(IReadOnlyList<GenerationRequest> requests)
    {
        foreach (GenerationRequest request in requests) CheckSampleIndices(request);
        int k = settings.SamplesPerProblem;
        var prompts = requests.Select(r => (IReadOnlyList<int>)EncodePrompt(r.Prompt)).ToList();
        IReadOnlyList<Sample> samples = Sampler.Generate(policy.Model, prompts, Options(requests[0].Prompt, k, settings.Seed + requests[0].ProblemIndex));
        return requests.Select((r, i) => (IReadOnlyList<Completion>)r.SampleIndices.Select(j => ToCompletion(samples[i * k + j], r.Prompt)).ToList()).ToList();
    }

    void CheckSampleIndices(GenerationRequest request)
    {
        if (request.SampleIndices.Any(j => j < 0 || j >= settings.SamplesPerProblem))
            throw new ArgumentException(
                $"{request.Benchmark}[{request.ProblemIndex}]: sample indices must be below SamplesPerProblem = {settings.SamplesPerProblem}");
    }

    /// <summary>A seed that depends only on the run seed, the benchmark name and the problem's index.</summary>
    public static long ProblemSeed(long seed, string benchmark, int problemIndex) =>
        (long)SplitMix64.Mix((ulong)seed, StableHash(benchmark), (ulong)problemIndex);

    /// <summary>FNV-1a of the name: string.GetHashCode differs between processes.</summary>
    static ulong StableHash(string text)
    {
        ulong hash = 0xCBF29CE484222325UL;
        foreach (char c in text)
            hash = (hash ^ c) * 0x100000001B3UL;
        return hash;
    }

    SamplingOptions Options(RenderedPrompt prompt, int rows, long seed)
    {
        IReadOnlyList<string> stops = [.. settings.StopStrings, .. ChatStopStrings(prompt)];
        return new SamplingOptions
        {
            SamplesPerPrompt = rows, MaxNewTokens = settings.MaxNewTokens, Temperature = settings.Temperature,
            TopP = settings.TopP, TopK = settings.TopK, Seed = seed, EosTokenIds = policy.EosTokenIds,
            StopStrings = stops, Decode = stops.Count == 0 ? null : ids => policy.Tokenizer.Decode(ids),
            PadTokenId = TrainingSetup.PadTokenId(policy),
        };
    }

    IReadOnlyList<string> ChatStopStrings(RenderedPrompt prompt) => prompt.UseChat ? format.Chat.StopStrings : [];

    Completion ToCompletion(Sample sample, RenderedPrompt prompt)
    {
        string text = policy.Tokenizer.Decode(sample.TokenIds, skipSpecial: true);
        foreach (string stop in ChatStopStrings(prompt))
            if (text.IndexOf(stop, StringComparison.Ordinal) is int at and >= 0)
                text = text[..at];
        return new Completion(text, sample.TokenIds.Length, sample.FinishReason == FinishReason.Length);
    }
}
