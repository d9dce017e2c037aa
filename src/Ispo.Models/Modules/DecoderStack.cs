// The transformer body (HF Qwen2Model / LlamaModel, checkpoint prefix `model.`): embeddings, layers, final norm.
using Ispo.Models.Config;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Modules;

public sealed class DecoderStack : nn.Module
{
    public readonly Embedding embed_tokens;
    public readonly ModuleList<DecoderLayer> layers;
    public readonly RMSNorm norm;
    readonly Kernels kernels;

    /// <summary>See CausalLM.GradientCheckpointing.</summary>
    internal bool GradientCheckpointing { get; set; }

    internal DecoderStack(ModelConfig c, ScalarType dtype, Device? device, Kernels kernels) : base(nameof(DecoderStack))
    {
        embed_tokens = nn.Embedding(c.VocabSize, c.HiddenSize, device: device, dtype: dtype);
        layers = nn.ModuleList(Enumerable.Range(0, c.NumHiddenLayers).Select(_ => new DecoderLayer(c, dtype, device, kernels)).ToArray());
        norm = new RMSNorm(c.HiddenSize, c.RmsNormEps, dtype, device, kernels);
        this.kernels = kernels;
        RegisterComponents();
    }

    public Tensor Forward(Tensor inputIds, Tensor cos, Tensor sinSigned, Tensor? mask, KvCache? cache) // [B,T] -> [B,T,hidden]
    {
        using var scope = NewDisposeScope();
        Tensor h = embed_tokens.forward(inputIds);
        bool recompute = GradientCheckpointing && cache is null && is_grad_enabled();
        for (int l = 0; l < layers.Count; l++)
            h = recompute ? LayerCheckpoint.Apply(layers[l], h, cos, sinSigned, mask, l, kernels.Adapters?.DropoutGenerator)
                : layers[l].Forward(h, cos, sinSigned, mask, cache, l);
        return norm.forward(h).MoveToOuterDisposeScope();
    }
}
