// Batched generation with a preallocated KV cache: one prefill per prompt, then G rows per prompt decode together;
// rows that have finished leave the batch, so a long straggler does not keep the short ones computing.
using Ispo.Models.Modules;
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
        if (prompts.Any(p => p.Count == 0)) throw new ArgumentException("every prompt needs at least one token");
        using var noGrad = no_grad();
        using var packed = model.PackForInference();
        using var scope = NewDisposeScope();
        var generator = new Generator((ulong)options.Seed, model.Device);
        int rows = prompts.Count * options.SamplesPerPrompt;
        int capacity = prompts.Max(p => p.Count) + options.MaxNewTokens;
        (KvCache cache, Tensor logits, PromptPrefix? kept) = Prefill(model, prompts, options.SamplesPerPrompt, capacity, keepPrompts);
        var rowsState = Enumerable.Range(0, rows).Select(r => new RowState(r / options.SamplesPerPrompt)).ToArray();
        int[] live = Enumerable.Range(0, rows).ToArray(); // the row each cache row decodes
        try
        {
            for (int step = 0; step < options.MaxNewTokens; step++)
            {
                using var stepScope = NewDisposeScope();
                (long[] picked, float[] lp, float[] ent) = Pick(model, logits, options, generator);
                for (int i = 0; i < live.Length; i++) rowsState[live[i]].Accept((int)picked[i], lp[i], ent[i], step, options);
                int[] keep = Enumerable.Range(0, live.Length).Where(i => rowsState[live[i]].Finish is null).ToArray();
                if (keep.Length == 0) break;
                if (keep.Length <= live.Length * 3 / 4) // finished rows stop costing compute once a quarter of the batch is done
                {
                    Tensor index = tensor(keep.Select(i => (long)i).ToArray(), device: model.Device);
                    KvCache compact = cache.SelectRows(index);
                    cache.Dispose();
                    cache = compact;
                    picked = keep.Select(i => picked[i]).ToArray();
                    live = keep.Select(i => live[i]).ToArray();
                }
                Tensor next = model.NextTokenLogits(picked, cache).MoveToOuterDisposeScope();
                logits.Dispose();
                logits = next;
            }
        }
        catch
        {
            kept?.Dispose();
            throw;
        }
        finally
        {
            cache.Dispose();
        }
        return (rowsState.Select(s => new Sample(s.PromptIndex, [.. s.Tokens], [.. s.LogProbs], [.. s.Entropies],
            s.Finish ?? FinishReason.Length)).ToList(), kept);
    }

    /// <summary>Each row's token, log-prob and entropy: by the model's kernels where they take it, else with torch ops.</summary>
    static (long[] Tokens, float[] LogProbs, float[] Entropies) Pick(CausalLM model, Tensor logits, SamplingOptions options, Generator generator)
    {
        if (model.Kernels.Backend?.PickTokens(logits, options, generator) is { } picked) return picked;
        using var scope = NewDisposeScope();
        (Tensor t, Tensor lp, Tensor ent) = TokenPicker.Pick(logits, options, generator); // [N] each
        return (t.cpu().data<long>().ToArray(), lp.cpu().data<float>().ToArray(), ent.cpu().data<float>().ToArray()); // host copies (no-ops on the CPU)
    }

    /// <summary>Runs each prompt once and grows its cache into G decoding rows; the prompts' own prefill is kept
    /// when asked, else freed.</summary>
    static (KvCache Cache, Tensor Logits, PromptPrefix? Kept) Prefill(CausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts,
        int g, int capacity, bool keep)
    {
        PromptPrefix prefix = PromptPrefix.Prefill(model, prompts);
        Tensor promptOfRow = arange(prompts.Count, dtype: ScalarType.Int64, device: model.Device).repeat_interleave(g); // [P·G]
        KvCache cache = prefix.Cache.SelectRows(promptOfRow, capacity);
        Tensor logits = Fp32Logits(model, prefix.Last.index_select(0, promptOfRow));
        if (keep) return (cache, logits, prefix);
        prefix.Dispose();
        return (cache, logits, null);
    }

    static Tensor Fp32Logits(CausalLM model, Tensor hidden) => model.Logits(hidden).to(ScalarType.Float32);

    /// <summary>One row's tokens so far and why it stopped.</summary>
    sealed class RowState(int promptIndex)
    {
        public int PromptIndex { get; } = promptIndex;
        public List<int> Tokens { get; } = [];
        public List<float> LogProbs { get; } = [];
        public List<float> Entropies { get; } = [];
        public FinishReason? Finish { get; private set; }

        public void Accept(int token, float logProb, float entropy, int step, SamplingOptions o)
        {
            if (Finish is not null) return;
            Tokens.Add(token);
            LogProbs.Add(logProb);
            Entropies.Add(entropy);
            if (o.EosTokenIds.Contains(token)) Finish = FinishReason.Eos;
            else if (o.StopStrings.Count > 0 && EndsInStop(o)) Finish = FinishReason.Stop;
            else if (step == o.MaxNewTokens - 1) Finish = FinishReason.Length;
        }

        /// <summary>A stop string that appears now ends in the newest token, so decoding a tail long enough to hold it
        /// (a token is at least one byte, a character at most four) is enough: linear, not quadratic, in the length.</summary>
        bool EndsInStop(SamplingOptions o)
        {
            int window = 4 * o.StopStrings.Max(s => s.Length) + 4;
            string text = o.Decode!(Tokens.Count <= window ? Tokens : Tokens.GetRange(Tokens.Count - window, window));
            return o.StopStrings.Any(s => text.Contains(s, StringComparison.Ordinal));
        }
    }
}
