// One pre-norm transformer block: h + attn(norm(h)), then h + mlp(norm(h)).
using Ispo.Models.Config;
using static TorchSharp.torch;

namespace Ispo.Models.Modules;

public sealed class DecoderLayer : nn.Module
{
    public readonly SelfAttention self_attn;
    public readonly Mlp mlp;
    public readonly RMSNorm input_layernorm, post_attention_layernorm;

    internal DecoderLayer(ModelConfig c, ScalarType dtype, Device? device, Kernels kernels) : base(nameof(DecoderLayer))
    {
        self_attn = new SelfAttention(c, dtype, device, kernels);
        mlp = new Mlp(c, dtype, device, kernels);
        input_layernorm = new RMSNorm(c.HiddenSize, c.RmsNormEps, dtype, device, kernels);
        post_attention_layernorm = new RMSNorm(c.HiddenSize, c.RmsNormEps, dtype, device, kernels);
        RegisterComponents();
    }

    public Tensor Forward(Tensor h, Tensor cos, Tensor sinSigned, Tensor? mask, KvCache? cache, int layer) // [B,T,hidden]
    {
        using var scope = NewDisposeScope();
        return MlpHalf(AttentionHalf(h, cos, sinSigned, mask, cache, layer, null, valueUnread: false), valueUnread: false).MoveToOuterDisposeScope();
    }

    // Forward's two halves, apart for gradient checkpointing. Their arguments: see SelfAttention.Forward and Mlp.Forward.

    internal Tensor AttentionHalf(Tensor h, Tensor cos, Tensor sinSigned, Tensor? mask, KvCache? cache, int layer, AttentionRecord? record,
        bool valueUnread) // [B,T,hidden]
    {
        using var scope = NewDisposeScope();
        return (h + self_attn.Forward(input_layernorm.forward(h), cos, sinSigned, mask, cache, layer, record, valueUnread)).MoveToOuterDisposeScope();
    }

    internal Tensor MlpHalf(Tensor h, bool valueUnread) // [B,T,hidden]
    {
        using var scope = NewDisposeScope();
        return (h + mlp.Forward(post_attention_layernorm.forward(h), valueUnread)).MoveToOuterDisposeScope();
    }
}
