// The one seam between a model and hand-written kernels: a backend (Cpu/) chosen once, when the model is made, and
// offered each operation before the modules' plain TorchSharp code, which runs wherever it declines. Without one
// (cpu_kernels: off, another device, or a build without Cpu/) the model is plain TorchSharp: correct, slower.
// Every projection passes through here, so LoRA's updates are added here too, and packed copies fold them in.
using Ispo.Models.Lora;
using Ispo.Models.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Models;

internal sealed class Kernels
{
    readonly IInferenceCopies?[] copies = new IInferenceCopies?[2]; // while packed for inference: [adapters on or none, adapters off]

    Kernels(IKernels? backend) => Backend = backend;

    public IKernels? Backend { get; }

    /// <summary>The model's LoRA adapters, if any.</summary>
    public LoraAdapters? Adapters { get; private set; }

    public void Attach(LoraAdapters adapters)
    {
        Unpack(); // packed copies hold the weights as they were
        Adapters = adapters;
    }

    public static Kernels For(CpuKernels choice, Device device) =>
#if ISPO_NO_CPU_KERNELS
        new(null);
#else
        new(choice == CpuKernels.Auto && device.type == DeviceType.CPU ? new Cpu.CpuBackend() : null);
#endif

    /// <param name="valueUnread">Whether the caller only back-propagates through the result and never reads it (a
    /// checkpointed layer's last projection in its recompute): the product itself is then skipped.</param>
    public Tensor Linear(Linear layer, Tensor x, bool valueUnread = false)
    {
        Tensor y = Backend?.Linear(x, layer.weight!, layer.bias, valueUnread)
            ?? (valueUnread ? UnreadLinear.Apply(x, layer.weight!, layer.bias) : layer.forward(x));
        return Adapters?.Active(layer) is { } adapter ? adapter.AddTo(y, x) : y;
    }

    /// <summary>The weight a projection multiplies by: with an active adapter, W + s·B·A (a new tensor).</summary>
    public Tensor EffectiveWeight(Linear layer) => Adapters?.Active(layer) is { } adapter ? adapter.Merged(layer.weight!) : layer.weight!;

    public Tensor Linear(Tensor x, Tensor weight) => Backend?.Linear(x, weight, null, valueUnread: false) ?? nn.functional.linear(x, weight);

    /// <summary>x times the inference copy of these layers (outputs side by side), while packed and no gradient is
    /// recorded; else null.</summary>
    public Tensor? InferenceProduct(Tensor x, params Linear[] parts) => Live?.Multiply(x, parts);

    public Tensor? InferenceLogits(Tensor hidden) => Live?.Logits(hidden);

    public Tensor? NextTokenLogits(ReadOnlySpan<long> tokens, KvCache cache) => Live is { } live ? live.NextTokenLogits(tokens, cache) : null;

    public Tensor? PrefillRows(IReadOnlyList<IReadOnlyList<int>> prompts, int[] cacheRows, KvCache cache) => Live?.PrefillRows(prompts, cacheRows, cache);

    IInferenceCopies? Live => copies[Slot] is { } live && !is_grad_enabled() ? live : null;

    /// <summary>Which copies this thread's forwards use: a base view (adapters suspended) has its own.</summary>
    int Slot => Adapters is not null && LoraAdapters.Suspended ? 1 : 0;

    /// <summary>Makes the backend's inference copies (of the weights as this thread sees them: adapters folded in
    /// unless suspended) until the handle is disposed; nested calls share the outer ones.</summary>
    public IDisposable PackForInference(CausalLM model)
    {
        int slot = Slot;
        if (Backend is null || copies[slot] is not null) return new Unpacker(null, slot);
        copies[slot] = Backend.PackForInference(model);
        return new Unpacker(this, slot);
    }

    public void Unpack()
    {
        for (int slot = 0; slot < copies.Length; slot++) Unpack(slot);
    }

    void Unpack(int slot)
    {
        copies[slot]?.Dispose();
        copies[slot] = null;
    }

    internal IInferenceCopies? Copies => copies[Slot];

    sealed class Unpacker(Kernels? kernels, int slot) : IDisposable
    {
        public void Dispose()
        {
            kernels?.Unpack(slot);
            kernels = null;
        }
    }
}
