// Grouped-query self-attention with RoPE (HF Qwen2Attention / LlamaAttention): q/k/v biases for Qwen2,
// none for Llama, never on o_proj.
using Ispo.Models.Config;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Modules;

public sealed class SelfAttention : nn.Module
{
    readonly int heads, kvHeads, headDim;
    public readonly Linear q_proj, k_proj, v_proj, o_proj;
    readonly Kernels kernels;

    internal SelfAttention(ModelConfig c, ScalarType dtype, Device? device, Kernels kernels) : base(nameof(SelfAttention))
    {
        this.kernels = kernels;
        heads = c.NumAttentionHeads;
        kvHeads = c.NumKeyValueHeads;
        headDim = c.HeadDim;
        q_proj = nn.Linear(c.HiddenSize, heads * headDim, hasBias: c.AttentionBias, device: device, dtype: dtype);
        k_proj = nn.Linear(c.HiddenSize, kvHeads * headDim, hasBias: c.AttentionBias, device: device, dtype: dtype);
        v_proj = nn.Linear(c.HiddenSize, kvHeads * headDim, hasBias: c.AttentionBias, device: device, dtype: dtype);
        o_proj = nn.Linear(heads * headDim, c.HiddenSize, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sinSigned, Tensor? mask, KvCache? cache, int layer) => // x [B,T,hidden]
        Forward(x, cos, sinSigned, mask, cache, layer, null, valueUnread: false);

    /// <param name="record">Where the backend's attention keeps or finds its output (see IKernels.Attention).</param>
    /// <param name="valueUnread">See Kernels.Linear: the output is only back-propagated through.</param>
    internal Tensor Forward(Tensor x, Tensor cos, Tensor sinSigned, Tensor? mask, KvCache? cache, int layer, AttentionRecord? record,
        bool valueUnread) // x [B,T,hidden]
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1];
        (Tensor q, Tensor k, Tensor v) = kernels.InferenceProduct(x, q_proj, k_proj, v_proj) is { } qkv
            ? SplitFused(qkv, b, t, cos, sinSigned) : Project(x, cos, sinSigned);
        if (cache is not null) (k, v) = cache.Store(layer, k, v); // [B,Hkv,S,D] prefix views
        Tensor o = Attend(q, k, v, mask, record).transpose(1, 2).reshape(b, t, heads * headDim);
        return (kernels.InferenceProduct(o, o_proj) ?? kernels.Linear(o_proj, o, valueUnread)).MoveToOuterDisposeScope();
    }

    (Tensor Q, Tensor K, Tensor V) Project(Tensor x, Tensor cos, Tensor sinSigned) // -> [B,H,T,D], [B,Hkv,T,D] ×2
    {
        Tensor q = RotaryTables.Apply(SplitHeads(kernels.Linear(q_proj, x), heads), cos, sinSigned);
        Tensor k = RotaryTables.Apply(SplitHeads(kernels.Linear(k_proj, x), kvHeads), cos, sinSigned);
        return (q, k, SplitHeads(kernels.Linear(v_proj, x), kvHeads));
    }

    /// <summary>Heads of the q, k and v projections made by one matmul, with one RoPE application for q and k together.</summary>
    (Tensor Q, Tensor K, Tensor V) SplitFused(Tensor fused, long b, long t, Tensor cos, Tensor sinSigned) // [B,T,(H+2Hkv)·D]
    {
        Tensor qkv = fused.view(b, t, heads + 2 * kvHeads, headDim).transpose(1, 2); // [B,H+2Hkv,T,D]
        Tensor qk = RotaryTables.Apply(qkv.narrow(1, 0, heads + kvHeads), cos, sinSigned);
        return (qk.narrow(1, 0, heads), qk.narrow(1, heads, kvHeads), qkv.narrow(1, heads + kvHeads, kvHeads));
    }

    Tensor SplitHeads(Tensor x, int n) => x.view(x.shape[0], x.shape[1], n, headDim).transpose(1, 2);

    /// <summary>softmax(q·kᵀ/√D + mask)·v. Query heads are grouped per kv head instead of repeating k/v, except
    /// for causal attention without a mask (T = S), where the causal kernel needs whole heads. Without a mask
    /// and T = 1, the one new token sees every key.</summary>
    Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor? mask, AttentionRecord? record) // q [B,H,T,D], k/v [B,Hkv,S,D], mask [B,1,T,S]
    {
        if (kernels.Backend?.Attention(q, k, v, mask, record) is { } causal) return causal; // whole sequences, no past
        int groups = heads / kvHeads;
        long b = q.shape[0], t = q.shape[2], s = k.shape[2];
        if (mask is null && t > 1)
        {
            if (groups > 1) (k, v) = (k.repeat_interleave(groups, 1), v.repeat_interleave(groups, 1));
            return nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true);
        }
        if (groups == 1) return nn.functional.scaled_dot_product_attention(q, k, v, mask);
        Tensor groupedQ = q.reshape(b, kvHeads, groups * t, headDim);
        Tensor? groupedMask = mask?.unsqueeze(2).expand(b, 1, groups, t, s).reshape(b, 1, groups * t, s);
        return nn.functional.scaled_dot_product_attention(groupedQ, k, v, groupedMask).view(b, heads, t, headDim);
    }
}
