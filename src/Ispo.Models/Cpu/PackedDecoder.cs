// One decoding step (one new token per row after a KV-cached prefix) of an fp32 model on an x86 CPU, computed in C#
// over raw memory with the packed weights. The torch path makes ~270 small op calls per step (and MKL answers each
// one-query attention with hundreds of gemv calls), which cost more than the matmuls themselves at decode sizes.
using Ispo.Models.Config;
using Ispo.Models.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Cpu;

internal sealed unsafe class PackedDecoder
{
    sealed record Layer(float[] InputNorm, float[] PostNorm, PackedWeight Qkv, PackedWeight Out, PackedWeight GateUp, PackedWeight Down);

    readonly ModelConfig c;
    readonly Layer[] layers;
    readonly float[] finalNorm;
    readonly PackedWeight head;
    readonly Tensor embeddings; // [V,hidden] fp32: the model's own parameter, unchanged while packed
    readonly RotaryTables rope;
    float[] scratch = [];
    int[] stepRows = [], stepIndices = []; // a step's token rows: row r in cache row r, at the cache's length

    PackedDecoder(ModelConfig config, Layer[] layers, float[] finalNorm, PackedWeight head, Tensor embeddings, RotaryTables rope)
    {
        (c, this.layers, this.finalNorm, this.head, this.embeddings, this.rope) = (config, layers, finalNorm, head, embeddings, rope);
    }

    /// <summary>A decoder over the inference copies, or null when any of them is not packed (bf16, no AVX2) or the
    /// head dim is not a multiple of 8 (the attention kernel's vector width).</summary>
    public static PackedDecoder? TryCreate(CausalLM model, InferenceCopies copies)
    {
        DecoderStack stack = model.model;
        if (copies.Head.Packed is not { } head || stack.embed_tokens.weight!.dtype != ScalarType.Float32 || model.Config.HeadDim % 8 != 0) return null;
        var layers = new List<Layer>();
        foreach (DecoderLayer layer in stack.layers)
        {
            if (copies.Of(layer.self_attn.q_proj).Packed is not { } qkv || copies.Of(layer.self_attn.o_proj).Packed is not { } output
                || copies.Of(layer.mlp.gate_proj).Packed is not { } gateUp || copies.Of(layer.mlp.down_proj).Packed is not { } down) return null;
            layers.Add(new Layer(Values(layer.input_layernorm.weight), Values(layer.post_attention_layernorm.weight), qkv, output, gateUp, down));
        }
        return new PackedDecoder(model.Config, [.. layers], Values(stack.norm.weight), head, stack.embed_tokens.weight!, model.Rope);
    }

    static float[] Values(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().contiguous().data<float>().ToArray();
    }

    /// <summary>Pointers and sizes one pass shares between its workers. Token row r goes to cache row CacheRows[r], its
    /// key and value written at cache index Indices[r], and attends over its cache row up to that index.</summary>
    readonly struct StepState
    {
        public required int Rows { get; init; }
        public required long* Tokens { get; init; }
        public required int* CacheRows { get; init; }
        public required int* Indices { get; init; }
        /// <summary>Whether several token rows share a cache row (a prompt's tokens): each then attends only once every
        /// row's key is written.</summary>
        public required bool SharedRows { get; init; }
        /// <summary>The token rows whose logits are wanted, in order (null: every row).</summary>
        public required int* Outputs { get; init; }
        public required int OutputCount { get; init; }
        public required float* Cos { get; init; } // [N,D]: each row's RoPE cos at its position
        public required float* Sin { get; init; } // [N,D]: signed sin, likewise
        public required float* KeyBias { get; init; }
        public required float* Keys { get; init; }
        public required float* Values { get; init; }
        public required float* Embeddings { get; init; }
        public required float* Logits { get; init; }
        public required float* Buffer { get; init; }
        public required KvCache Cache { get; init; }
    }

    /// <summary>fp32 logits [N,V] of <paramref name="tokens"/> (one per cache row) appended to the cache, which
    /// advances by one, exactly like CausalLM.Hidden + Logits with T = 1. The team's threads split each matmul's
    /// columns and each row-wise phase's rows, meeting at a barrier between phases.</summary>
    public Tensor Step(ReadOnlySpan<long> tokens, KvCache cache, int threads)
    {
        int n = tokens.Length;
        if (n != cache.Batch) throw new ArgumentException($"{n} tokens for a cache of {cache.Batch} rows");
        CheckTokens(tokens);
        cache.MarkKeys(null, 1); // the new keys are real tokens
        if (stepRows.Length != n) (stepRows, stepIndices) = ([.. Enumerable.Range(0, n)], new int[n]); // kept: a step allocates nothing
        Array.Fill(stepIndices, cache.Length);
        Tensor logits = Run(tokens, stepRows, stepIndices, cache.NextPosition, outputs: null, sharedRows: false, cache, threads);
        cache.Advance(null, 1);
        return logits;
    }

    /// <summary>fp32 logits [P,V] after each prompt's last token, prompt p prefilled into cleared cache row
    /// <paramref name="cacheRows"/>[p], right-aligned to end at the cache's filled length (RoPE positions from 0), so
    /// that it decodes from the next step on beside the running rows: a continuous batch's join without the torch
    /// operations a prefill otherwise costs.</summary>
    public Tensor Prefill(IReadOnlyList<IReadOnlyList<int>> prompts, int[] cacheRows, KvCache cache, int threads)
    {
        int n = prompts.Sum(p => p.Count), r = 0;
        var tokens = new long[n];
        var positions = new long[n];
        int[] rows = new int[n], indices = new int[n], outputs = new int[prompts.Count];
        for (int p = 0; p < prompts.Count; p++)
        {
            int length = prompts[p].Count;
            for (int i = 0; i < length; i++, r++)
                (tokens[r], rows[r], indices[r], positions[r]) = (prompts[p][i], cacheRows[p], cache.Length - length + i, i);
            outputs[p] = r - 1;
        }
        CheckTokens(tokens);
        for (int p = 0; p < prompts.Count; p++) cache.MarkPrompt(cacheRows[p], prompts[p].Count);
        using Tensor ropePositions = tensor(positions);
        return Run(tokens, rows, indices, ropePositions, outputs, sharedRows: true, cache, threads);
    }

    void CheckTokens(ReadOnlySpan<long> tokens)
    {
        foreach (long token in tokens)
            if ((ulong)token >= (ulong)c.VocabSize) throw new ArgumentOutOfRangeException(nameof(tokens), token, $"token ids are in [0, {c.VocabSize})");
    }

    Tensor Run(ReadOnlySpan<long> tokens, int[] rows, int[] indices, Tensor positions, int[]? outputs, bool sharedRows, KvCache cache, int threads) // positions [N] int64
    {
        int n = tokens.Length;
        using var scope = NewDisposeScope();
        long* at = (long*)Address(positions);
        int maxPosition = 0;
        for (int b = 0; b < n; b++) maxPosition = Math.Max(maxPosition, (int)at[b]);
        (Tensor cos, Tensor sin) = rope.Lookup(positions.view(n, 1), maxPosition, ScalarType.Float32); // [N,1,1,D] each
        Tensor logits = empty(outputs?.Length ?? n, c.VocabSize, ScalarType.Float32);
        SpinTeam team = SpinTeam.Of(threads);
        EnsureScratch(n * ScratchPerRow + team.Size * cache.Capacity);
        fixed (long* tokenIds = tokens)
        fixed (int* cacheRows = rows, cacheIndices = indices, outputRows = outputs)
        fixed (float* buffer = scratch)
        {
            var state = new StepState
            {
                Rows = n, Tokens = tokenIds, CacheRows = cacheRows, Indices = cacheIndices, SharedRows = sharedRows,
                Outputs = outputRows, OutputCount = outputs?.Length ?? n, Cos = Address(cos), Sin = Address(sin),
                KeyBias = Address(cache.KeyBias), Keys = Address(cache.Keys), Values = Address(cache.Values),
                Embeddings = Address(embeddings), Logits = Address(logits),
                Buffer = buffer, Cache = cache,
            };
            team.Run(worker => RunShare(state, team, worker));
        }
        return logits.MoveToOuterDisposeScope();
    }

    int ScratchPerRow => 3 * c.HiddenSize + QkvWidth + c.NumAttentionHeads * c.HeadDim + 3 * c.IntermediateSize;
    int QkvWidth => (c.NumAttentionHeads + 2 * c.NumKeyValueHeads) * c.HeadDim;

    /// <summary>One worker's part of the step: rows [r0, r1) of the row-wise phases and its share of every
    /// matmul's panels.</summary>
    void RunShare(StepState st, SpinTeam team, int worker)
    {
        int n = st.Rows, hidden = c.HiddenSize, inter = c.IntermediateSize;
        float* h = st.Buffer, x = h + n * hidden, tmp = x + n * hidden, qkv = tmp + n * hidden, attn = qkv + n * QkvWidth;
        float* gateUp = attn + n * c.NumAttentionHeads * c.HeadDim, act = gateUp + n * 2 * inter;
        float* scores = act + n * inter + worker * st.Cache.Capacity;
        (int r0, int r1) = team.Share(worker, n);
        for (int b = r0; b < r1; b++)
            new Span<float>(st.Embeddings + st.Tokens[b] * hidden, hidden).CopyTo(new Span<float>(h + b * hidden, hidden));
        void MatMul(PackedWeight w, float* input, float* output)
        {
            team.Barrier(); // every row of the input is ready
            (int p0, int p1) = team.Share(worker, w.PanelCount);
            w.MultiplyPanels(input, n, output, p0, p1);
            team.Barrier(); // every column of the output is ready
        }
        for (int l = 0; l < layers.Length; l++)
        {
            Layer layer = layers[l];
            Norm(h, x, layer.InputNorm, r0, r1);
            MatMul(layer.Qkv, x, qkv);
            for (int b = r0; b < r1; b++) StoreRow(st, l, b, qkv + b * QkvWidth);
            if (st.SharedRows) team.Barrier(); // a prompt's token attends over the keys of its earlier tokens
            for (int b = r0; b < r1; b++) AttendRow(st, l, b, qkv + b * QkvWidth, attn, scores);
            MatMul(layer.Out, attn, tmp);
            DecodeKernels.Add(h + r0 * hidden, tmp + r0 * hidden, (r1 - r0) * hidden);
            Norm(h, x, layer.PostNorm, r0, r1);
            MatMul(layer.GateUp, x, gateUp);
            for (int b = r0; b < r1; b++)
                DecodeKernels.SiluMul(gateUp + b * 2 * inter, gateUp + b * 2 * inter + inter, act + b * inter, inter);
            MatMul(layer.Down, act, tmp);
            DecodeKernels.Add(h + r0 * hidden, tmp + r0 * hidden, (r1 - r0) * hidden);
        }
        Norm(h, x, finalNorm, r0, r1);
        float* outputs = x;
        if (st.Outputs is not null)
        {
            team.Barrier(); // every row is normed: gather the rows whose logits are wanted
            outputs = tmp;
            (int j0, int j1) = team.Share(worker, st.OutputCount);
            for (int j = j0; j < j1; j++)
                new Span<float>(x + (long)st.Outputs[j] * hidden, hidden).CopyTo(new Span<float>(tmp + (long)j * hidden, hidden));
        }
        team.Barrier();
        (int first, int end) = team.Share(worker, head.PanelCount);
        head.MultiplyPanels(outputs, st.OutputCount, st.Logits, first, end);
    }

    /// <summary>Token row b of layer l: RoPE on its q and k heads, and its new k/v into its cache row at its index.</summary>
    void StoreRow(in StepState st, int l, int b, float* row)
    {
        int d = c.HeadDim, heads = c.NumAttentionHeads, kvHeads = c.NumKeyValueHeads;
        for (int head = 0; head < heads + kvHeads; head++) // q and k heads are rotated, v heads are not
            DecodeKernels.Rope(row + head * d, st.Cos + (long)b * d, st.Sin + (long)b * d, d);
        for (int kv = 0; kv < kvHeads; kv++)
        {
            long at = st.Cache.Offset(l, st.CacheRows[b], kv, st.Indices[b]);
            new Span<float>(row + (heads + kv) * d, d).CopyTo(new Span<float>(st.Keys + at, d));
            new Span<float>(row + (heads + kvHeads + kv) * d, d).CopyTo(new Span<float>(st.Values + at, d));
        }
    }

    /// <summary>Each query head of token row b over its cache row's keys up to its own index (a query head reads kv
    /// head h / groups).</summary>
    void AttendRow(in StepState st, int l, int b, float* row, float* attn, float* scores)
    {
        int d = c.HeadDim, heads = c.NumAttentionHeads, cacheRow = st.CacheRows[b];
        for (int head = 0; head < heads; head++)
        {
            long at = st.Cache.Offset(l, cacheRow, head / c.KvGroups, 0);
            DecodeKernels.Attend(row + head * d, st.Keys + at, st.Values + at, st.KeyBias + (long)cacheRow * st.Cache.Capacity,
                st.Indices[b] + 1, d, scores, attn + (b * heads + head) * d);
        }
    }

    void Norm(float* input, float* output, float[] weight, int r0, int r1)
    {
        fixed (float* w = weight)
            for (int b = r0; b < r1; b++)
                DecodeKernels.RmsNorm(input + b * c.HiddenSize, output + b * c.HiddenSize, w, c.HiddenSize, (float)c.RmsNormEps);
    }

    void EnsureScratch(int floats)
    {
        if (scratch.Length < floats) scratch = GC.AllocateUninitializedArray<float>(floats, pinned: true);
    }

    static float* Address(Tensor t) => TensorPointers.Floats(t);
}
