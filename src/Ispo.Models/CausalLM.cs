// A decoder-only causal language model with Hugging Face's parameter names (Qwen2ForCausalLM, LlamaForCausalLM):
// `model.embed_tokens.weight`, `model.layers.{i}.self_attn.q_proj.weight`, …, `model.norm.weight`, `lm_head.weight`.
using Ispo.Models.Config;
using Ispo.Models.Lora;
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
    readonly bool baseView; // WithoutAdapters: shares the source's modules, owns nothing

    public ModelConfig Config { get; }
    public ScalarType Dtype { get; }
    public Device Device { get; }

    /// <summary>The kernels backend chosen for this model (none: plain TorchSharp).</summary>
    internal Kernels Kernels { get; }

    /// <summary>Whether Ispo's CPU kernels run this model's operations (cpu_kernels auto, on the CPU, in a build with
    /// them); false: libtorch's own operations only.</summary>
    public bool UsesCpuKernels => Kernels.Backend is not null;
    internal RotaryTables Rope => rope;

    /// <param name="cpuKernels">Whether Ispo's own CPU kernels may run this model's operations (see Kernels).</param>
    public CausalLM(ModelConfig config, ScalarType dtype = ScalarType.Float32, Device? device = null, CpuKernels cpuKernels = CpuKernels.Auto)
        : base(nameof(CausalLM))
    {
        Config = config.Validate();
        Dtype = dtype;
        Device = device ?? CPU;
        Kernels = Kernels.For(cpuKernels, Device);
        model = new DecoderStack(config, dtype, Device, Kernels);
        register_module(nameof(model), model);
        if (!config.TieWordEmbeddings)
        {
            lm_head = nn.Linear(config.HiddenSize, config.VocabSize, hasBias: false, device: Device, dtype: dtype);
            register_module(nameof(lm_head), lm_head);
        }
        rope = new RotaryTables(config, Math.Min(config.MaxPositionEmbeddings, 2048), Device);
    }

    CausalLM(CausalLM source) : base(nameof(CausalLM))
    {
        (Config, Dtype, Device, Kernels) = (source.Config, source.Dtype, source.Device, source.Kernels);
        (model, lm_head, rope) = (source.model, source.lm_head, source.rope);
        baseView = true;
    }

    /// <summary>The model's LoRA adapters (see LoraAdapters.Attach), if any.</summary>
    public LoraAdapters? Lora => Kernels.Adapters;

    /// <summary>This model with its LoRA adapters off: the frozen base policy without a second copy of the weights.
    /// The view shares every weight and has no parameters of its own; disposing it frees nothing of the model's.</summary>
    public CausalLM WithoutAdapters() => new(this);

    /// <summary>Whether training forwards keep only each decoder layer's input and recompute the layer in backward.</summary>
    public bool GradientCheckpointing
    {
        get => model.GradientCheckpointing;
        set => model.GradientCheckpointing = value;
    }

    /// <summary>On a base view, suspends the adapters on this thread for the duration of a call.</summary>
    IDisposable? AdaptersOff() => baseView ? LoraAdapters.Suspend() : null;

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
        using var off = AdaptersOff();
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
    public Tensor Logits(Tensor hidden) // [...,hidden] -> [...,V] model dtype
    {
        using var off = AdaptersOff();
        return Kernels.InferenceLogits(hidden)
            ?? (lm_head is null ? Kernels.Linear(hidden, model.embed_tokens.weight!) : Kernels.Linear(lm_head, hidden));
    }

    /// <summary>fp32 logits [N,V] of one new token per cache row after the cached prefix; the cache advances by
    /// one.</summary>
    public Tensor NextTokenLogits(ReadOnlySpan<long> tokens, KvCache cache)
    {
        using var off = AdaptersOff();
        if (Kernels.NextTokenLogits(tokens, cache) is { } stepped) return stepped;
        using var scope = NewDisposeScope();
        Tensor ids = tensor(tokens.ToArray(), dtype: ScalarType.Int64, device: Device).view(-1, 1);
        return Logits(Hidden(ids, cache: cache).select(1, 0)).to(ScalarType.Float32).MoveToOuterDisposeScope();
    }

    /// <summary>fp32 logits [P,V] after each prompt's last token, prompt p prefilled into cleared row
    /// <paramref name="cacheRows"/>[p] of <paramref name="cache"/>, right-aligned to end at its filled length, by the
    /// kernels backend's decoder while packed; null (and the cache untouched) without one.</summary>
    public Tensor? PrefillRows(IReadOnlyList<IReadOnlyList<int>> prompts, int[] cacheRows, KvCache cache)
    {
        using var off = AdaptersOff();
        return Kernels.PrefillRows(prompts, cacheRows, cache);
    }

    /// <summary>Lets gradient-free forwards use the kernels backend's inference-only copies of the weights (on the
    /// CPU: q/k/v and gate/up fused and packed for our kernels, ~1× the weights' memory) until the handle is
    /// disposed; without a backend it does nothing. The weights must not change meanwhile. Nested calls share the
    /// outer copies.</summary>
    public IDisposable PackForInference()
    {
        using var off = AdaptersOff();
        return Kernels.PackForInference(this);
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
        if (disposing && !baseView)
        {
            Kernels.Unpack();
            Lora?.Dispose();
            rope.Dispose();
        }
        base.Dispose(disposing);
    }
}
