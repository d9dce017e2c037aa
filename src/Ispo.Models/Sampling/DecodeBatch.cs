// One batch of rows decoding together, a token per Step: prompts are prefilled once and grown into G rows each, rows
// that finished leave the cache once a quarter of it is done, and (continuous batching) more prompts can join at a
// step boundary, their prefill written into the cache rows of finished ones. Sampler.Generate is Start and Step until
// done; a row's random draws come from the batch's one generator, so joining changes what the running rows draw, never
// their validity.
using Ispo.Models.Modules;
using Ispo.Models.Scoring;
using static TorchSharp.torch;

namespace Ispo.Models.Sampling;

public sealed class DecodeBatch : IDisposable
{
    readonly CausalLM model;
    readonly SamplingOptions options;
    readonly Generator generator;
    readonly IDisposable packed;
    readonly Dictionary<int, RowState> rows = []; // by row id; a released row is gone, so a batch that keeps admitting joins does not grow
    int rowCount;
    KvCache cache;
    Tensor? logits;   // [live,V] float32: each live row's next-token logits
    int[] live;       // the row each cache row decodes

    DecodeBatch(CausalLM model, SamplingOptions options, Generator generator, IDisposable packed, KvCache cache, Tensor logits, int rowCount, int g)
    {
        (this.model, this.options, this.generator, this.packed, this.cache, this.logits) = (model, options, generator, packed, cache, logits);
        AddRows(rowCount, g);
        live = Enumerable.Range(0, rowCount).ToArray();
    }

    void AddRows(int count, int g)
    {
        for (int r = 0; r < count; r++) rows[rowCount + r] = new RowState(r / g);
        rowCount += count;
    }

    /// <summary>Rows so far (started and joined); row p·G+g of a Start or Join call comes from its prompt p.</summary>
    public int Rows => rowCount;
    /// <summary>Rows still decoding.</summary>
    public int LiveRows => Unfinished().Length;
    public bool Done => live.Length == 0;
    /// <summary>The KV-cache row that row <paramref name="row"/> decodes in (-1 once it has left the cache).</summary>
    internal int CacheRowOf(int row) => Array.IndexOf(live, row);

    /// <summary>Prefills <paramref name="prompts"/> into prompts × SamplesPerPrompt rows. Holds the model packed for
    /// inference until disposed.</summary>
    public static DecodeBatch Start(CausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts, SamplingOptions options) =>
        Start(model, prompts, options, keepPrompts: false).Batch;

    internal static (DecodeBatch Batch, PromptPrefix? Kept) Start(CausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts, SamplingOptions options,
        bool keepPrompts)
    {
        options.Validate();
        Check(prompts);
        using var noGrad = no_grad();
        IDisposable packed = model.PackForInference();
        var generator = new Generator((ulong)options.Seed, model.Device);
        try
        {
            using var scope = NewDisposeScope();
            int capacity = prompts.Max(p => p.Count) + options.MaxNewTokens;
            (KvCache cache, Tensor logits, PromptPrefix? kept) = Prefill(model, prompts, options.SamplesPerPrompt, capacity, keepPrompts);
            return (new DecodeBatch(model, options, generator, packed, cache, logits.DetachFromDisposeScope(), cache.Batch, options.SamplesPerPrompt), kept);
        }
        catch
        {
            generator.Dispose();
            packed.Dispose();
            throw;
        }
    }

    static void Check(IReadOnlyList<IReadOnlyList<int>> prompts)
    {
        if (prompts.Count == 0) throw new ArgumentException("no prompts");
        if (prompts.Any(p => p.Count == 0)) throw new ArgumentException("every prompt needs at least one token");
    }

    /// <summary>Adds prompts × SamplesPerPrompt rows to the running batch, to decode from the next Step on; returns the
    /// first new row. The batch must not be done. The joiners take the cache rows of finished rows (more rows are added
    /// only when those run out), right-aligned with the running rows; the kernels' decoder prefills them there in
    /// place, else the prompts are prefilled together and copied in. Either way a join costs the joiners' prefill, not a
    /// copy of the cache.</summary>
    public int Join(IReadOnlyList<IReadOnlyList<int>> prompts)
    {
        Check(prompts);
        if (Done) throw new InvalidOperationException("the batch is done: start a new one");
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        int g = options.SamplesPerPrompt, first = rowCount, count = prompts.Count * g;
        int[] free = [.. Enumerable.Range(0, live.Length).Where(i => IsFinished(live[i]))];
        foreach (int slot in free) cache.ClearRow(slot);
        int extra = Math.Max(0, count - free.Length);
        int[] slots = [.. free.Take(count), .. Enumerable.Range(live.Length, extra)]; // row p·G+j of the join: slots[p·G+j]
        int longest = prompts.Max(p => p.Count);
        Fit(longest, extra);
        Tensor addedLogits = PrefillInPlace(prompts, slots) ?? PrefillAndCopy(prompts, longest, slots); // [P·G,V] float32
        if (extra > 0)
        {
            Tensor grown = cat([logits!, addedLogits.narrow(0, 0, extra)]).DetachFromDisposeScope();
            logits!.Dispose();
            logits = grown;
        }
        logits!.index_copy_(0, tensor(slots.Select(s => (long)s).ToArray(), device: model.Device), addedLogits);
        live = [.. live, .. new int[extra]];
        for (int j = 0; j < count; j++) live[slots[j]] = first + j;
        AddRows(count, g);
        return first;
    }

    /// <summary>Each prompt prefilled by the kernels' decoder into its first sample's slot and copied to the others';
    /// null without such a decoder.</summary>
    Tensor? PrefillInPlace(IReadOnlyList<IReadOnlyList<int>> prompts, int[] slots)
    {
        int g = options.SamplesPerPrompt;
        int[] firstSlots = [.. Enumerable.Range(0, prompts.Count).Select(p => slots[p * g])];
        if (model.PrefillRows(prompts, firstSlots, cache) is not { } promptLogits) return null; // [P,V]
        for (int p = 0; p < prompts.Count; p++)
            for (int j = 1; j < g; j++) cache.WriteRow(slots[p * g + j], cache, slots[p * g]);
        return g == 1 ? promptLogits : promptLogits.repeat_interleave(g, 0);
    }

    /// <summary>The prompts prefilled together as a batch of their own, each row copied into its slot.</summary>
    Tensor PrefillAndCopy(IReadOnlyList<IReadOnlyList<int>> prompts, int longest, int[] slots)
    {
        (KvCache added, Tensor addedLogits, _) = Prefill(model, prompts, options.SamplesPerPrompt, longest, keep: false);
        using (added)
            for (int j = 0; j < slots.Length; j++) cache.WriteRow(slots[j], added, j);
        return addedLogits;
    }

    /// <summary>Resizes the cache when it lacks <paramref name="extraRows"/> rows, a prompt of
    /// <paramref name="promptLength"/> right-aligned on its filled positions, or MaxNewTokens free positions after them
    /// (what any row still needs), dropping the positions no row uses. The new cache has room for another
    /// prompt and MaxNewTokens more, so that a batch that keeps admitting joins is resized about once per row lifetime.</summary>
    void Fit(int promptLength, int extraRows)
    {
        int need = options.MaxNewTokens;
        if (extraRows == 0 && promptLength <= cache.Length && cache.Length + need <= cache.Capacity) return;
        int filled = Math.Max(promptLength, cache.Length - cache.FirstUsed());
        KvCache resized = cache.Resized(extraRows, filled, need + promptLength);
        cache.Dispose();
        cache = resized;
    }

    /// <summary>Picks one token for every live row and runs the model on them; false once every row has finished.</summary>
    public bool Step()
    {
        if (Done) return false;
        using var noGrad = no_grad();
        using var stepScope = NewDisposeScope();
        (long[] picked, float[] lp, float[] ent) = Pick(model, logits!, options, generator);
        for (int i = 0; i < live.Length; i++)
            if (rows.TryGetValue(live[i], out RowState? row)) row.Accept((int)picked[i], lp[i], ent[i], options);
        int[] keep = Unfinished();
        if (keep.Length == 0)
        {
            live = [];
            return false;
        }
        if (keep.Length <= live.Length * 3 / 4) // finished rows stop costing compute once a quarter of the batch is done
        {
            picked = keep.Select(i => picked[i]).ToArray();
            Tensor index = tensor(keep.Select(i => (long)i).ToArray(), device: model.Device);
            KvCache compact = cache.SelectRows(index);
            cache.Dispose();
            cache = compact;
            live = keep.Select(i => live[i]).ToArray();
        }
        Tensor next = model.NextTokenLogits(picked, cache).DetachFromDisposeScope();
        logits!.Dispose();
        logits = next;
        return true;
    }

    /// <summary>Positions in <see cref="live"/> (and cache rows) of the rows still decoding.</summary>
    int[] Unfinished() => Enumerable.Range(0, live.Length).Where(i => !IsFinished(live[i])).ToArray();

    /// <summary>Whether row <paramref name="row"/> has finished (a released one has).</summary>
    public bool IsFinished(int row)
    {
        if ((uint)row >= (uint)rowCount) throw new ArgumentOutOfRangeException(nameof(row), row, $"the batch has rows [0, {rowCount})");
        return !rows.TryGetValue(row, out RowState? s) || s.Finish is not null;
    }

    /// <summary>Forgets finished row <paramref name="row"/> once its sample has been taken, so that a continuous batch
    /// does not keep every row it ever held.</summary>
    public void Release(int row)
    {
        if (!IsFinished(row)) throw new InvalidOperationException($"row {row} is still decoding");
        rows.Remove(row);
    }

    /// <summary>Row <paramref name="row"/> as a sample (its prompt index within its Start or Join call); a row still
    /// decoding reads as cut at its length.</summary>
    public Sample SampleOf(int row)
    {
        if (!rows.TryGetValue(row, out RowState? s)) throw new InvalidOperationException($"row {row} was released");
        return new Sample(s.PromptIndex, [.. s.Tokens], [.. s.LogProbs], [.. s.Entropies], s.Finish ?? FinishReason.Length);
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
        Tensor logits = model.Logits(prefix.Last.index_select(0, promptOfRow)).to(ScalarType.Float32);
        if (keep) return (cache, logits, prefix);
        prefix.Dispose();
        return (cache, logits, null);
    }

    public void Dispose()
    {
        cache.Dispose();
        logits?.Dispose();
        logits = null;
        generator.Dispose();
        packed.Dispose();
    }

    /// <summary>One row's tokens so far and why it stopped.</summary>
    sealed class RowState(int promptIndex)
    {
        public int PromptIndex { get; } = promptIndex;
        public List<int> Tokens { get; } = [];
        public List<float> LogProbs { get; } = [];
        public List<float> Entropies { get; } = [];
        public FinishReason? Finish { get; private set; }

        public void Accept(int token, float logProb, float entropy, SamplingOptions o)
        {
            if (Finish is not null) return;
            Tokens.Add(token);
            LogProbs.Add(logProb);
            Entropies.Add(entropy);
            if (o.EosTokenIds.Contains(token)) Finish = FinishReason.Eos;
            else if (o.StopStrings.Count > 0 && EndsInStop(o)) Finish = FinishReason.Stop;
            else if (Tokens.Count == o.MaxNewTokens) Finish = FinishReason.Length;
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
