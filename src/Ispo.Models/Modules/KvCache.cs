// Preallocated key/value cache for incremental decoding: one contiguous block per layer, written in place,
// attended over as a prefix slice so no step copies the past.
using Ispo.Models.Config;
using static TorchSharp.torch;

namespace Ispo.Models.Modules;

public sealed class KvCache : IDisposable
{
    public Tensor Keys { get; }          // [L,B,Hkv,Tmax,D]
    public Tensor Values { get; }        // [L,B,Hkv,Tmax,D]
    public Tensor KeyBias { get; }       // [B,Tmax] model dtype: 0 where a key is a real token, -inf for padding
    public Tensor NextPosition { get; }  // [B] int64: RoPE position of each row's next token
    readonly Tensor[] layerKeys, layerValues; // L views [B,Hkv,Tmax,D], made once
    readonly int headDim;
    public int Length { get; private set; }
    /// <summary>False while every stored key is a real token, so attention needs no key mask.</summary>
    public bool HasPadding { get; private set; }
    public int Capacity { get; }
    public int Batch { get; }
    public int KvHeads { get; }

    KvCache(Tensor keys, Tensor values, Tensor keyBias, Tensor nextPosition, int length, bool hasPadding)
    {
        // The cache is its own owner: it must outlive whatever dispose scope it was created in.
        foreach (Tensor x in new[] { keys, values, keyBias, nextPosition }) x.DetachFromDisposeScope();
        Keys = keys;
        Values = values;
        KeyBias = keyBias;
        NextPosition = nextPosition;
        Length = length;
        HasPadding = hasPadding;
        (Batch, KvHeads, Capacity, headDim) = ((int)keys.shape[1], (int)keys.shape[2], (int)keys.shape[3], (int)keys.shape[4]);
        layerKeys = Enumerable.Range(0, (int)keys.shape[0]).Select(l => keys[l].DetachFromDisposeScope()).ToArray();
        layerValues = Enumerable.Range(0, (int)values.shape[0]).Select(l => values[l].DetachFromDisposeScope()).ToArray();
    }

    public static KvCache Create(ModelConfig c, int batch, int capacity, ScalarType dtype, Device? device)
    {
        long[] shape = [c.NumHiddenLayers, batch, c.NumKeyValueHeads, capacity, c.HeadDim];
        return new KvCache(zeros(shape, dtype, device), zeros(shape, dtype, device),
            full(batch, capacity, float.NegativeInfinity, dtype, device), zeros(batch, ScalarType.Int64, device), 0, false);
    }

    /// <summary>A new cache whose row i is a copy of row <paramref name="rows"/>[i] (e.g. each prompt's prefill
    /// copied to its G samples), with room for <paramref name="capacity"/> positions (default: the same), so a
    /// prefix can be kept small and grown only where continuations follow it.</summary>
    public KvCache SelectRows(Tensor rows, int? capacity = null) // [B'] int64
    {
        using var _ = no_grad();
        int room = capacity ?? Capacity;
        if (room == Capacity) return new KvCache(Keys.index_select(1, rows), Values.index_select(1, rows),
            KeyBias.index_select(0, rows), NextPosition.index_select(0, rows), Length, HasPadding);
        if (room < Length) throw new ArgumentOutOfRangeException(nameof(capacity), $"{room} < the {Length} positions filled");
        long[] shape = [.. Keys.shape];
        shape[1] = rows.shape[0];
        shape[3] = room;
        Tensor keys = zeros(shape, Keys.dtype, Keys.device), values = zeros(shape, Values.dtype, Values.device);
        Tensor keyBias = full(rows.shape[0], room, float.NegativeInfinity, KeyBias.dtype, KeyBias.device);
        keys.narrow(3, 0, Length).copy_(Keys.narrow(3, 0, Length).index_select(1, rows));
        values.narrow(3, 0, Length).copy_(Values.narrow(3, 0, Length).index_select(1, rows));
        keyBias.narrow(1, 0, Length).copy_(KeyBias.narrow(1, 0, Length).index_select(0, rows));
        return new KvCache(keys, values, keyBias, NextPosition.index_select(0, rows), Length, HasPadding);
    }

    /// <summary>A new cache holding <paramref name="a"/>'s rows, then <paramref name="b"/>'s, with <paramref name="room"/>
    /// positions free after them (continuous batching: prompts joining running rows). Each cache's filled positions are
    /// right-aligned on the longer one, so every row's next token is written at the same index, and the shorter one's
    /// left is padding; leading positions that are padding in every row are dropped, so the cache does not grow with
    /// each join. Row positions (RoPE) and masks are each row's own, so every row attends exactly as before.</summary>
    public static KvCache Concat(KvCache a, KvCache b, int room)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        int length = Math.Max(a.Length, b.Length);
        int offsetA = length - a.Length, offsetB = length - b.Length;
        int trim = Math.Min(offsetA + a.FirstUsed(), offsetB + b.FirstUsed());
        int filled = length - trim;
        long[] shape = [.. a.Keys.shape];
        shape[1] = a.Batch + b.Batch;
        shape[3] = filled + room;
        Tensor keys = zeros(shape, a.Keys.dtype, a.Keys.device), values = zeros(shape, a.Values.dtype, a.Values.device);
        Tensor keyBias = full(shape[1], shape[3], float.NegativeInfinity, a.KeyBias.dtype, a.KeyBias.device);
        foreach ((KvCache c, int firstRow, int offset) in new[] { (a, 0, offsetA), (b, a.Batch, offsetB) })
        {
            int from = Math.Max(0, trim - offset), to = Math.Max(0, offset - trim), count = c.Length - from;
            if (count <= 0) continue;
            keys.narrow(1, firstRow, c.Batch).narrow(3, to, count).copy_(c.Keys.narrow(3, from, count));
            values.narrow(1, firstRow, c.Batch).narrow(3, to, count).copy_(c.Values.narrow(3, from, count));
            keyBias.narrow(0, firstRow, c.Batch).narrow(1, to, count).copy_(c.KeyBias.narrow(1, from, count));
        }
        bool padded = a.HasPadding || b.HasPadding || a.Length != b.Length;
        return new KvCache(keys, values, keyBias, cat([a.NextPosition, b.NextPosition]), filled, padded);
    }

    /// <summary>The first position some row holds a real key at (Length when none does).</summary>
    int FirstUsed()
    {
        if (Length == 0) return 0;
        using var scope = NewDisposeScope();
        bool[] used = KeyBias.narrow(1, 0, Length).eq(0).any(0).cpu().data<bool>().ToArray();
        int first = Array.IndexOf(used, true);
        return first < 0 ? Length : first;
    }

    /// <summary>Writes layer <paramref name="layer"/>'s new keys/values at the current length and returns the
    /// filled prefix (views, no copy).</summary>
    internal (Tensor Keys, Tensor Values) Store(int layer, Tensor k, Tensor v) // k,v [B,Hkv,T,D]
    {
        long t = k.shape[2];
        if (Length + t > Capacity) throw new InvalidOperationException($"KV cache overflow: {Length} + {t} > capacity {Capacity}");
        using (no_grad())
        {
            layerKeys[layer].narrow(2, Length, t).copy_(k);
            layerValues[layer].narrow(2, Length, t).copy_(v);
        }
        return (layerKeys[layer].narrow(2, 0, Length + t), layerValues[layer].narrow(2, 0, Length + t));
    }

    /// <summary>Where key or value (<paramref name="layer"/>, <paramref name="row"/>, <paramref name="kvHead"/>,
    /// <paramref name="position"/>) starts in <see cref="Keys"/> or <see cref="Values"/>, in elements.</summary>
    internal long Offset(int layer, int row, int kvHead, int position) =>
        ((((long)layer * Batch + row) * KvHeads + kvHead) * Capacity + position) * headDim;

    /// <summary>Records which of the next T keys are real (mask [B,T], null = all) before the layers run.</summary>
    internal void MarkKeys(Tensor? attentionMask, int t)
    {
        if (Length + t > Capacity) throw new InvalidOperationException($"KV cache overflow: {Length} + {t} > capacity {Capacity}");
        using var scope = NewDisposeScope();
        Tensor slice = KeyBias.narrow(1, Length, t);
        if (attentionMask is null) slice.zero_();
        else
        {
            slice.copy_(AttentionMasks.KeyBias(attentionMask, KeyBias.dtype));
            HasPadding = true; // any mask counts: checking its values would cost a host sync
        }
    }

    /// <summary>Moves the write position and each row's next RoPE position past the T tokens just stored.</summary>
    internal void Advance(Tensor? attentionMask, int t)
    {
        Length += t;
        if (attentionMask is null) NextPosition.add_(t);
        else
        {
            using var count = attentionMask.sum(1, type: ScalarType.Int64);
            NextPosition.add_(count);
        }
    }

    public void Dispose()
    {
        foreach (Tensor x in layerKeys.Concat(layerValues)) x.Dispose();
        Keys.Dispose();
        Values.Dispose();
        KeyBias.Dispose();
        NextPosition.Dispose();
    }
}
