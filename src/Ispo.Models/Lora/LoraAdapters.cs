// A model's LoRA adapters (PEFT's LoraModel): attaching them freezes every base weight, so that only A and B train.
// The base policy π_θ0 is the same model with its adapters suspended (CausalLM.WithoutAdapters): no second copy.
// Suspension is per thread, because the policy and its base view run on different threads at once (RolloutScoring).
using Ispo.Models.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Lora;

public sealed class LoraAdapters : IDisposable
{
    [ThreadStatic] static int suspended;
    readonly Dictionary<Linear, LoraAdapter> byLayer = new(ReferenceEqualityComparer.Instance);
    readonly List<(string Name, LoraAdapter Adapter)> named = [];
    Kernels? kernels; // the model's, whose packed copies fold these adapters in

    LoraAdapters(LoraOptions options, Generator? dropoutGenerator) => (Options, DropoutGenerator) = (options, dropoutGenerator);

    public LoraOptions Options { get; }

    /// <summary>Where LoRA dropout draws its masks (null without dropout); seeded from the attach seed, and by a trainer
    /// at each step (<see cref="SeedDropout"/>).</summary>
    internal Generator? DropoutGenerator { get; }

    /// <summary>Restarts the dropout masks' stream from <paramref name="seed"/> (nothing without dropout): a trainer seeds
    /// it from the run's seed and the step, as every other draw, so a resumed run draws the masks the interrupted one
    /// would have.</summary>
    public void SeedDropout(long seed) => DropoutGenerator?.manual_seed(seed);

    /// <summary>Each adapter with its projection's checkpoint name, e.g. <c>model.layers.0.self_attn.q_proj</c>, in
    /// layer order.</summary>
    public IReadOnlyList<(string Name, LoraAdapter Adapter)> Named => named;

    /// <summary>Freezes <paramref name="model"/>'s weights and adds a new adapter (B = 0, A drawn with
    /// <paramref name="seed"/>) to every targeted projection of every layer.</summary>
    public static LoraAdapters Attach(CausalLM model, LoraOptions options, long seed)
    {
        options.Validated();
        if (model.Lora is not null) throw new InvalidOperationException("the model already has LoRA adapters");
        foreach (Parameter p in model.parameters()) p.requires_grad = false;
        var adapters = new LoraAdapters(options, options.Dropout > 0 ? new Generator((ulong)seed + 1, model.Device) : null);
        using var generator = new Generator((ulong)seed, model.Device);
        for (int i = 0; i < model.model.layers.Count; i++)
            foreach (string target in options.TargetModules)
            {
                (string path, Linear layer) = Projection(model.model.layers[i], i, target);
                var adapter = new LoraAdapter(layer, options, generator, adapters.DropoutGenerator);
                adapters.byLayer[layer] = adapter;
                adapters.named.Add((path, adapter));
            }
        model.Kernels.Attach(adapters);
        adapters.kernels = model.Kernels;
        return adapters;
    }

    static (string Path, Linear Layer) Projection(DecoderLayer layer, int index, string name) => name switch
    {
        "q_proj" => ($"model.layers.{index}.self_attn.q_proj", layer.self_attn.q_proj),
        "k_proj" => ($"model.layers.{index}.self_attn.k_proj", layer.self_attn.k_proj),
        "v_proj" => ($"model.layers.{index}.self_attn.v_proj", layer.self_attn.v_proj),
        "o_proj" => ($"model.layers.{index}.self_attn.o_proj", layer.self_attn.o_proj),
        "gate_proj" => ($"model.layers.{index}.mlp.gate_proj", layer.mlp.gate_proj),
        "up_proj" => ($"model.layers.{index}.mlp.up_proj", layer.mlp.up_proj),
        "down_proj" => ($"model.layers.{index}.mlp.down_proj", layer.mlp.down_proj),
        _ => throw new ArgumentException($"unknown projection '{name}'"),
    };

    /// <summary>The adapter of <paramref name="layer"/>, unless there is none or adapters are suspended on this thread.</summary>
    internal LoraAdapter? Active(Linear layer) => suspended == 0 && byLayer.TryGetValue(layer, out LoraAdapter? adapter) ? adapter : null;

    /// <summary>Whether adapters are suspended on this thread (a base view is running).</summary>
    internal static bool Suspended => suspended > 0;

    /// <summary>Runs every model on this thread without adapters until disposed.</summary>
    internal static IDisposable Suspend()
    {
        suspended++;
        return new Resumer();
    }

    sealed class Resumer : IDisposable
    {
        bool done;

        public void Dispose()
        {
            if (!done) suspended--;
            done = true;
        }
    }

    /// <summary>Adds these adapters' s·B·A to the same-named projections of <paramref name="target"/> (a model without
    /// adapters of the same shape): the adapted model as a plain one.</summary>
    public void MergeInto(CausalLM target) => Merge(target, named.Select(n => (n.Name, (Tensor)n.Adapter.A.weight!, (Tensor)n.Adapter.B.weight!)), Options.Scale);

    /// <summary>W ← W + s·B·A for each named projection of <paramref name="target"/>.</summary>
    internal static void Merge(CausalLM target, IEnumerable<(string Name, Tensor A, Tensor B)> updates, double scale)
    {
        if (target.Lora is not null) throw new InvalidOperationException("cannot merge into a model that has adapters of its own");
        var projections = target.named_modules().ToDictionary(m => m.name, m => m.module, StringComparer.Ordinal);
        using var _ = no_grad();
        foreach ((string name, Tensor a, Tensor b) in updates)
        {
            if (!projections.TryGetValue(name, out var module) || module is not Linear linear)
                throw new ArgumentException($"the model has no projection '{name}'");
            using Tensor merged = LoraMath.Merge(linear.weight!, a, b, scale);
            linear.weight!.copy_(merged);
        }
        target.Kernels.Unpack();
    }

    /// <summary>Drops the model's packed inference copies after A or B were overwritten (they fold the old values in).</summary>
    internal void WeightsChanged() => kernels?.Unpack();

    /// <summary>The adapters' parameters (A, B of each projection, in <see cref="Named"/> order).</summary>
    public IEnumerable<Parameter> Parameters() => named.SelectMany(n => new[] { n.Adapter.A.weight!, n.Adapter.B.weight! });

    /// <summary>Number of trainable adapter parameters.</summary>
    public long ParameterCount() => Parameters().Sum(p => p.numel());

    /// <summary>Frees the dropout generator; A and B go with the model's modules (CausalLM.Dispose calls this).</summary>
    public void Dispose() => DropoutGenerator?.Dispose();
}
