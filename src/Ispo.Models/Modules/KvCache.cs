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

    /// <summary>A copy with <paramref name="extraRows"/> empty rows after this cache's (continuous batching: more rows
    /// than the batch started with), holding the last <paramref name="filled"/> positions (positions dropped on the left
    /// must be padding in every row; more than <see cref="Length"/> pads every row on the left), with
    /// <paramref name="room"/> free positions after them. Rows keep their positions (RoPE) and masks, so every row
    /// attends exactly as before.</summary>
    public KvCache Resized(int extraRows, int filled, int room)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        int from = Math.Max(0, Length - filled), to = Math.Max(0, filled - Length), count = Length - from;
        long[] shape = [.. Keys.shape];
        shape[1] = Batch + extraRows;
        shape[3] = filled + room;
        Tensor keys = zeros(shape, Keys.dtype, Keys.device), values = zeros(shape, Values.dtype, Values.device);
        Tensor keyBias = full(shape[1], shape[3], float.NegativeInfinity, KeyBias.dtype, KeyBias.device);
        if (count > 0)
        {
            keys.narrow(1, 0, Batch).narrow(3, to, count).copy_(Keys.narrow(3, from, count));
            values.narrow(1, 0, Batch).narrow(3, to, count).copy_(Values.narrow(3, from, count));
            keyBias.narrow(0, 0, Batch).narrow(1, to, count).copy_(KeyBias.narrow(1, from, count));
        }
        Tensor nextPosition = cat([NextPosition, zeros(extraRows, ScalarType.Int64, NextPosition.device)]);
        bool padded = HasPadding || extraRows > 0 || filled > Length;
        return new KvCache(keys, values, keyBias, nextPosition, filled, padded);
    }

    /// <summary>Empties row <paramref name="row"/> for another sequence: every position padding, next position 0.</summary>
    public void ClearRow(int row)
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        KeyBias[row].fill_(float.NegativeInfinity);
        NextPosition[row].fill_(0);
        HasPadding = true;
    }

    /// <summary>Writes row <paramref name="from"/> of <paramref name="source"/> (a prefill, or this cache: a prompt's
    /// prefill copied to its other samples' rows) into cleared row <paramref name="row"/>, right-aligned to end at
    /// <see cref="Length"/>, so that it decodes from the next step on beside the running rows.</summary>
    public void WriteRow(int row, KvCache source, int from)
    {
        int n = source.Length;
        if (n > Length) throw new ArgumentException($"a prefill of {n} positions does not fit the {Length} filled", nameof(source));
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Keys.narrow(1, row, 1).narrow(3, Length - n, n).copy_(source.Keys.narrow(1, from, 1).narrow(3, 0, n));
        Values.narrow(1, row, 1).narrow(3, Length - n, n).copy_(source.Values.narrow(1, from, 1).narrow(3, 0, n));
        KeyBias[row].narrow(0, Length - n, n).copy_(source.KeyBias[from].narrow(0, 0, n));
        NextPosition[row].copy_(source.NextPosition[from]);
        HasPadding = true;
    }

    /// <summary>Marks the last <paramref name="length"/> filled positions of cleared row <paramref name="row"/> as a
    /// prompt's (real keys, the next RoPE position after it), for a prefill written there in place.</summary>
    internal void MarkPrompt(int row, int length)
    {
        if (length > Length) throw new ArgumentException($"a prompt of {length} positions does not fit the {Length} filled", nameof(length));
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        KeyBias[row].narrow(0, Length - length, length).fill_(0);
        NextPosition[row].fill_(length);
        HasPadding = true;
    }

    /// <summary>The first position some row holds a real key at (Length when none does).</summary>
    public int FirstUsed()
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
