// Batched generation with a preallocated KV cache: one prefill per prompt, then G rows per prompt decode together;
// rows that have finished leave the batch, so a long straggler does not keep the short ones computing (DecodeBatch).
using Ispo.Models.Scoring;
using static TorchSharp.torch;

namespace Ispo.Models.Sampling;

public static class Sampler
{
    /// <summary>Generates <c>prompts.Count × SamplesPerPrompt</c> completions; row p·G+g comes from prompt p.
    /// The same options (seed included) give the same samples.</summary>
    public static IReadOnlyList<Sample> Generate(CausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts, SamplingOptions options) =>
        Run(model, prompts, options, keepPrompts: false).Samples;

    /// <summary>As <see cref="Generate"/>, and also hands back the prompts' prefill (prompt p at row p), which the
    /// caller disposes. Scored under the same weights, it gives exactly what a new prefill would.</summary>
    public static (IReadOnlyList<Sample> Samples, PromptPrefix Prompts) GenerateKeepingPrompts(CausalLM model,
        IReadOnlyList<IReadOnlyList<int>> prompts, SamplingOptions options)
    {
        if (prompts.Count == 0) throw new ArgumentException("no prompts to keep");
        (IReadOnlyList<Sample> samples, PromptPrefix? kept) = Run(model, prompts, options, keepPrompts: true);
        return (samples, kept!);
    }

    static (IReadOnlyList<Sample> Samples, PromptPrefix? Prompts) Run(CausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts,
        SamplingOptions options, bool keepPrompts)
    {
        options.Validate();
        if (prompts.Count == 0) return ([], null);
        (DecodeBatch batch, PromptPrefix? kept) = DecodeBatch.Start(model, prompts, options, keepPrompts);
        try
        {
            using (batch)
            {
                while (batch.Step()) { }
                return (Enumerable.Range(0, batch.Rows).Select(batch.SampleOf).ToList(), kept);
            }
        }
        catch
        {
            kept?.Dispose();
            throw;
        }
    }
}
