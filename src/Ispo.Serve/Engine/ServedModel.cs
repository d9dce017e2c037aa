// The model being served: the loaded folder and the chat format its tokenizer_config names. A weight reload
// replaces it whole, so a request always sees one consistent model, tokenizer and format.
// LoRA adapters (vLLM's /v1/load_lora_adapter) run on one set of adapter modules attached to the base model the first
// time one is wanted: before a batch for adapter X, X's A and B are copied in unless they are already there, and a
// batch for the base model runs with the adapters suspended. The forward is the trainer's own (W·x + s·B·A·x), so an
// adapter serves exactly what the trainer's LoRA policy samples. Worker thread only, but for the read-only properties.
using Ispo.Models;
using Ispo.Models.Chat;
using Ispo.Models.Lora;
using Ispo.Models.Pretrained;
using Ispo.Models.Tokenization;

namespace Ispo.Serve.Engine;

internal sealed class ServedModel(LoadedModel policy, IChatFormat chat) : IDisposable
{
    LoraAdapters? slot;           // attached on first use; fixes the rank, scale and projections of every adapter served
    LoraWeights? inSlot;          // whose A and B the slot holds now
    CausalLM? baseView;

    public LoadedModel Policy { get; } = policy;
    public IChatFormat Chat { get; } = chat;
    public ITokenizer Tokenizer => Policy.Tokenizer;
    public int MaxPositions => Policy.Config.MaxPositionEmbeddings;

    public static ServedModel Load(string dir, CpuKernels cpuKernels)
    {
        var policy = LoadedModel.LoadPretrained(dir, cpuKernels: cpuKernels);
        return new ServedModel(policy, ChatOf(policy.Tokenizer));
    }

    /// <summary>Why adapters of this shape cannot run on this model, or null when they can.</summary>
    public string? CannotServe(LoraOptions options) =>
        slot is null && Policy.Model.Lora is not null ? "this server's model was loaded from an adapter folder; serve its base model to load adapters"
        : slot is not null && !slot.Options.SameShape(options)
            ? $"the adapters served hold rank {slot.Options.Rank}, scale {slot.Options.Scale} on [{string.Join(", ", slot.Options.TargetModules)}], "
              + $"and this one rank {options.Rank}, scale {options.Scale} on [{string.Join(", ", options.TargetModules)}]; unload them all first"
        : null;

    /// <summary>The model a batch runs on: the base one (adapters suspended), or <paramref name="adapter"/> copied into
    /// the slot. Throws when the adapter's tensors do not fit the model.</summary>
    public CausalLM For(LoraWeights? adapter)
    {
        if (adapter is null) return slot is null ? Policy.Model : baseView ??= Policy.Model.WithoutAdapters();
        if (CannotServe(adapter.Options) is { } why) throw new ArgumentException(why);
        slot ??= LoraAdapters.Attach(Policy.Model, adapter.Options, seed: 0);
        if (!ReferenceEquals(inSlot, adapter))
        {
            inSlot = null; // a failed copy leaves no adapter in the slot
            adapter.CopyInto(slot);
            inSlot = adapter;
        }
        return Policy.Model;
    }

    /// <summary>Forgets <paramref name="adapter"/> (unloaded): the slot's copy of it is never used again.</summary>
    public void Forget(LoraWeights adapter)
    {
        if (ReferenceEquals(inSlot, adapter)) inSlot = null;
    }

    /// <summary>Whether an adapter slot is attached (a reload then gives a model without one).</summary>
    public bool HasSlot => slot is not null;

    /// <summary>As `ispo train` renders chat prompts (TaskFormat.AutoChat): the tokenizer_config's template, else raw.</summary>
    static IChatFormat ChatOf(ITokenizer tokenizer) =>
        tokenizer is ByteLevelBpeTokenizer bpe ? ChatFormats.FromTokenizerConfig(bpe.Config) : new RawFormat();

    public void Dispose()
    {
        baseView?.Dispose();
        Policy.Dispose();
    }
}
