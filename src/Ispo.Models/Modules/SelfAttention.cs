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

    public SelfAttention(ModelConfig c, ScalarType dtype, Device? device) : base(nameof(SelfAttention))
    {
        heads = c.NumAttentionHeads;
        kvHeads = c.NumKeyValueHeads;
        headDim = c.HeadDim;
        q_proj = nn.Linear(c.HiddenSize, heads * headDim, hasBias: c.AttentionBias, device: device, dtype: dtype);
        k_proj = nn.Linear(c.HiddenSize, kvHeads * headDim, hasBias: c.AttentionBias, device: device, dtype: dtype);
        v_proj = nn.Linear(c.HiddenSize, kvHeads * headDim, hasBias: c.AttentionBias, device: device, dtype: dtype);
        o_proj = nn.Linear(heads * headDim, c.HiddenSize, hasBias: false, device: device, dtype: dtype);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x, Tensor cos, Tensor sinSigned, Tensor? mask, KvCache? cache, int layer) // x [B,T,hidden]
    {
        using var scope = NewDisposeScope();
        long b = x.shape[0], t = x.shape[1];
        Tensor q = RotaryTables.Apply(SplitHeads(q_proj.forward(x), heads), cos, sinSigned); // [B,H,T,D]
        Tensor k = RotaryTables.Apply(SplitHeads(k_proj.forward(x), kvHeads), cos, sinSigned); // [B,Hkv,T,D]
        Tensor v = SplitHeads(v_proj.forward(x), kvHeads);
        if (cache is not null) (k, v) = cache.Store(layer, k, v); // [B,Hkv,S,D] prefix views
        Tensor o = Attend(q, k, v, mask).transpose(1, 2).reshape(b, t, heads * headDim);
        return o_proj.forward(o).MoveToOuterDisposeScope();
    }

    Tensor SplitHeads(Tensor x, int n) => x.view(x.shape[0], x.shape[1], n, headDim).transpose(1, 2);

    /// <summary>softmax(q·kᵀ/√D + mask)·v. With a mask, query heads are grouped per kv head instead of
    /// repeating k/v; without one (causal, no cache) k/v are repeated and the causal kernel runs.</summary>
    Tensor Attend(Tensor q, Tensor k, Tensor v, Tensor? mask) // q [B,H,T,D], k/v [B,Hkv,S,D], mask [B,1,T,S]
    {
        int groups = heads / kvHeads;
        if (mask is null)
        {
            if (groups > 1) (k, v) = (k.repeat_interleave(groups, 1), v.repeat_interleave(groups, 1));
            return nn.functional.scaled_dot_product_attention(q, k, v, is_casual: true);
        }
        if (groups == 1) return nn.functional.scaled_dot_product_attention(q, k, v, mask);
        long b = q.shape[0], t = q.shape[2], s = k.shape[2];
        Tensor groupedQ = q.reshape(b, kvHeads, groups * t, headDim);
        Tensor groupedMask = mask.unsqueeze(2).expand(b, 1, groups, t, s).reshape(b, 1, groups * t, s);
        return nn.functional.scaled_dot_product_attention(groupedQ, k, v, groupedMask).view(b, heads, t, headDim);
    }
}
