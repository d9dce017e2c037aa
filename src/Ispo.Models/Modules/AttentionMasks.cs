// Additive attention masks and RoPE position ids for left-padded batches, with or without a KV cache.
using static TorchSharp.torch;

namespace Ispo.Models.Modules;

internal static class AttentionMasks
{
    /// <summary>0 where the mask is 1 (a real token), -inf where it is 0 (padding).</summary>
    public static Tensor KeyBias(Tensor attentionMask, ScalarType dtype) // [B,S] -> [B,S] dtype
    {
        using var valid = attentionMask.to(ScalarType.Bool);
        using var pad = valid.logical_not();
        return zeros(attentionMask.shape, dtype, attentionMask.device).masked_fill_(pad, float.NegativeInfinity);
    }

    /// <summary>The additive mask for T new queries, or null when no key is padding and the queries are either
    /// all the keys (plain causal attention) or one new token (sees every key). A query always sees its own key,
    /// so rows of padding never become all -inf (NaN).</summary>
    public static Tensor? Build(Tensor? attentionMask, KvCache? cache, int t, ScalarType dtype) // -> [B,1,T,S]
    {
        int past = cache?.Length ?? 0, s = past + t;
        if (attentionMask is null && cache is not { HasPadding: true } && (past == 0 || t == 1)) return null;
        if (cache is not null && t == 1 && attentionMask is null)
            return cache.KeyBias.narrow(1, 0, s).contiguous().unsqueeze(1).unsqueeze(1); // dense: read by every layer
        using var scope = NewDisposeScope();
        Tensor keyBias = cache is not null ? cache.KeyBias.narrow(1, 0, s) : KeyBias(attentionMask!, dtype); // [B,S]
        Device device = keyBias.device;
        Tensor queryPos = arange(past, s, dtype: ScalarType.Int64, device: device).view(t, 1);
        Tensor keyPos = arange(s, dtype: ScalarType.Int64, device: device).view(1, s);
        Tensor bias = keyBias.unsqueeze(1).expand(-1, t, s)
            .masked_fill(keyPos.eq(queryPos), 0)
            .masked_fill_(keyPos.gt(queryPos), float.NegativeInfinity);
        return bias.unsqueeze(1).MoveToOuterDisposeScope();
    }

    /// <summary>Position ids of the new tokens: each row counts only its real tokens (left padding).</summary>
    public static Tensor Positions(Tensor? attentionMask, KvCache? cache, int b, int t, Device device) // -> [B,T] int64
    {
        using var scope = NewDisposeScope();
        Tensor offsets = attentionMask is null
            ? arange(t, dtype: ScalarType.Int64, device: device).unsqueeze(0)
            : attentionMask.to(ScalarType.Int64).cumsum(1).sub_(1).clamp_min_(0);
        Tensor positions = cache is null ? offsets.expand(b, t) : offsets + cache.NextPosition.unsqueeze(1);
        return positions.MoveToOuterDisposeScope();
    }
}
