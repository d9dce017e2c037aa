// A model's weights copied for sampling and scoring (CausalLM.PackForInference): q/k/v and gate/up side by side, each
// copy packed for our kernels where it can be (else transposed for torch), plus the decoding step on them
// (PackedDecoder) when every copy is packed. About 1× the weights' memory; the weights must not change meanwhile.
// Active LoRA adapters are folded into the copies (W + s·B·A), so packed forwards run at the base model's speed.
using Ispo.Models.Modules;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Cpu;

internal sealed class InferenceCopies : IInferenceCopies
{
    readonly Dictionary<Linear, InferenceCopy> byFirstPart = new(ReferenceEqualityComparer.Instance);

    readonly Kernels kernels;

    public InferenceCopies(CausalLM model)
    {
        kernels = model.Kernels;
        Head = new InferenceCopy(model.lm_head?.weight ?? model.model.embed_tokens.weight!);
        foreach (DecoderLayer layer in model.model.layers)
        {
            Add(layer.self_attn.q_proj, layer.self_attn.k_proj, layer.self_attn.v_proj);
            Add(layer.self_attn.o_proj);
            Add(layer.mlp.gate_proj, layer.mlp.up_proj);
            Add(layer.mlp.down_proj);
        }
        Decoder = PackedDecoder.TryCreate(model, this);
    }

    public InferenceCopy Head { get; }

    /// <summary>The decoding step on the packed copies; null when any copy is not packed or the head dim does not fit.</summary>
    public PackedDecoder? Decoder { get; }

    void Add(params Linear[] parts)
    {
        using var scope = NewDisposeScope(); // frees the merged weights once copied
        byFirstPart[parts[0]] = new InferenceCopy(parts, kernels.EffectiveWeight);
    }

    /// <summary>The copy made for the layers starting with <paramref name="first"/>.</summary>
    public InferenceCopy Of(Linear first) => byFirstPart[first];

    public Tensor? Multiply(Tensor x, Linear[] parts) => byFirstPart.TryGetValue(parts[0], out InferenceCopy? copy) ? copy.Apply(x) : null;

    public Tensor? Logits(Tensor hidden) => Head.Apply(hidden);

    public Tensor? NextTokenLogits(ReadOnlySpan<long> tokens, KvCache cache) => Decoder?.Step(tokens, cache, get_num_threads());

    public Tensor? PrefillRows(IReadOnlyList<IReadOnlyList<int>> prompts, int[] cacheRows, KvCache cache) =>
        Decoder?.Prefill(prompts, cacheRows, cache, get_num_threads());

    public void Dispose()
    {
        Head.Dispose();
        foreach (InferenceCopy copy in byFirstPart.Values) copy.Dispose();
    }
}
