// A decoder-only causal language model with Hugging Face's parameter names (Qwen2ForCausalLM, LlamaForCausalLM):
// `model.embed_tokens.weight`, `model.layers.{i}.self_attn.q_proj.weight`, …, `model.norm.weight`, `lm_head.weight`.
using Ispo.Models.Config;
using Ispo.Models.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Models;

public sealed class CausalLM : nn.Module
{
    public readonly DecoderStack model;
    public readonly Linear? lm_head; // null when tied to model.embed_tokens
    readonly RotaryTables rope;
    FrozenWeight? frozenLogits; // set while frozen for inference
    PackedDecoder? packedDecoder; // set while frozen, when every frozen weight runs on our own kernels

    public ModelConfig Config { get; }
    public ScalarType Dtype { get; }
    public Device Device { get; }

    public CausalLM(ModelConfig config, ScalarType dtype = ScalarType.Float32, Device? device = null) : base(nameof(CausalLM))
    {
        Config = config.Validate();
        Dtype = dtype;
        Device = device ?? CPU;
        model = new DecoderStack(config, dtype, Device);
        register_module(nameof(model), model);
        if (!config.TieWordEmbeddings)
        {
            lm_head = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false, device: Device, dtype: dtype);
            register_module(nameof(lm_head), lm_head);
        }
        rope = new RotaryTables(config, Math.Min(config.MaxPositionEmbeddings, 2048), Device);
    }

    /// <summary>Logits for every position: Logits(Hidden(...)).</summary>
    public Tensor Forward(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, KvCache? cache = null) // -> [B,T,V]
    {
        using var scope = NewDisposeScope();
        return Logits(Hidden(inputIds, attentionMask, positionIds, cache)).MoveToOuterDisposeScope();
    }

    /// <summary>Final-norm hidden states. <paramref name="attentionMask"/> [B,T] marks real tokens (0 = left
    /// padding) of <paramref name="inputIds"/> only; a cache remembers earlier tokens' masks and positions and
    /// advances by T. Position ids default to each row's count of earlier real tokens.</summary>
    public Tensor Hidden(Tensor inputIds, Tensor? attentionMask = null, Tensor? positionIds = null, KvCache? cache = null) // [B,T] int64 -> [B,T,hidden]
    {
        using var scope = NewDisposeScope();
        int b = (int)inputIds.shape[0], t = (int)inputIds.shape[1];
        cache?.MarkKeys(attentionMask, t);
        Tensor positions = positionIds ?? AttentionMasks.Positions(attentionMask, cache, b, t, inputIds.device);
        int maxPosition = positionIds is null ? (cache?.Length ?? 0) + t - 1 : (int)positionIds.max().item<long>();
        (Tensor cos, Tensor sin) = rope.Lookup(positions, maxPosition, Dtype);
        Tensor? mask = AttentionMasks.Build(attentionMask, cache, t, Dtype);
        Tensor hidden = model.Forward(inputIds, cos, sin, mask, cache);
        cache?.Advance(attentionMask, t);
        return hidden.MoveToOuterDisposeScope();
    }

    /// <summary>The lm_head (or the tied embedding) applied to hidden states.</summary>
    public Tensor Logits(Tensor hidden) => // [...,hidden] -> [...,V] model dtype
        frozenLogits is not null && !is_grad_enabled() ? frozenLogits.Apply(hidden)
        : lm_head is null ? FusedLinear.Forward(hidden, model.embed_tokens.weight!) : FusedLinear.Forward(lm_head, hidden);

    /// <summary>True while frozen with every weight on our own kernels: decoding steps then run in PackedDecoder.</summary>
    internal bool UsesPackedDecoder => packedDecoder is not null;

    /// <summary>fp32 logits [N,V] of one new token per cache row after the cached prefix; the cache advances by
    /// one. While frozen on an x86 CPU in fp32, the step runs on our own kernels (PackedDecoder).</summary>
    public Tensor NextTokenLogits(ReadOnlySpan<long> tokens, KvCache cache)
    {
        if (packedDecoder is not null && !is_grad_enabled()) return packedDecoder.Step(tokens, cache, get_num_threads());
        using var scope = NewDisposeScope();
        Tensor ids = tensor(tokens.ToArray(), dtype: ScalarType.Int64, device: Device).view(-1, 1);
        return Logits(Hidden(ids, cache: cache).select(1, 0)).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>Makes gradient-free forwards use inference-only copies of the weights (q/k/v and gate/up fused;
    /// ~1× the weights' memory) until the handle is disposed. fp32 weights on an x86 CPU with AVX2 are packed for
    /// our own matmul and decoding kernels unless <paramref name="ownKernels"/> is false (then: transposed for
    /// torch matmuls). The weights must not change meanwhile. Nested calls share the outer copies.</summary>
    public IDisposable FreezeForInference(bool ownKernels = true)
    {
        if (frozenLogits is not null) return new Thawer(null);
        frozenLogits = new FrozenWeight(ownKernels, lm_head?.weight ?? model.embed_tokens.weight!);
        foreach (DecoderLayer layer in model.layers)
        {
            layer.self_attn.Freeze(ownKernels);
            layer.mlp.Freeze(ownKernels);
        }
        packedDecoder = PackedDecoder.TryCreate(Config, model, frozenLogits, rope);
        return new Thawer(this);
    }

    void Thaw()
    {
        frozenLogits?.Dispose();
        frozenLogits = null;
        packedDecoder = null;
        foreach (DecoderLayer layer in model.layers)
        {
            layer.self_attn.Thaw();
            layer.mlp.Thaw();
        }
    }

    sealed class Thawer(CausalLM? model) : IDisposable
    {
        public void Dispose()
        {
            model?.Thaw();
            model = null;
        }
    }

    /// <summary>An empty cache sized for this model.</summary>
    public KvCache NewCache(int batch, int capacity) => KvCache.Create(Config, batch, capacity, Dtype, Device);

    /// <summary>HF-style random init: weights ~ N(0, initializer_range), biases 0, norms 1.</summary>
    public void InitWeights(long seed)
    {
        using var _ = no_grad();
        var generator = new Generator((ulong)seed);
        foreach ((string name, Parameter p) in named_parameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal)) p.fill_(1);
            else if (name.EndsWith(".bias", StringComparison.Ordinal)) p.zero_();
            else p.normal_(0, Config.InitializerRange, generator);
        }
    }

    /// <summary>Total number of parameters (tied weights counted once).</summary>
    public long ParameterCount() => parameters().Sum(p => p.numel());

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Thaw();
            rope.Dispose();
        }
        base.Dispose(disposing);
    }
}
