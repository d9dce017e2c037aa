// The one seam between a model and hand-written kernels: a backend (Cpu/) chosen once, when the model is made, and
// offered each operation before the modules' plain TorchSharp code, which runs wherever it declines. Without one
// (cpu_kernels: off, another device, or a build without Cpu/) the model is plain TorchSharp: correct, slower.
using Ispo.Models.Modules;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Models;

internal sealed class Kernels
{
    IInferenceCopies? copies; // while packed for inference

    Kernels(IKernels? backend) => Backend = backend;

    public IKernels? Backend { get; }

    public static Kernels For(CpuKernels choice, Device device) =>
#if ISPO_NO_CPU_KERNELS
        new(null);
#else
        new(choice == CpuKernels.Auto && device.type == DeviceType.CPU ? new Cpu.CpuBackend() : null);
#endif

    public Tensor Linear(Linear layer, Tensor x) => Backend?.Linear(x, layer.weight!, layer.bias) ?? layer.forward(x);

    public Tensor Linear(Tensor x, Tensor weight) => Backend?.Linear(x, weight, null) ?? nn.functional.linear(x, weight);

    /// <summary>x times the inference copy of these layers (outputs side by side), while packed and no gradient is
    /// recorded; else null.</summary>
    public Tensor? InferenceProduct(Tensor x, params Linear[] parts) => Live?.Multiply(x, parts);

    public Tensor? InferenceLogits(Tensor hidden) => Live?.Logits(hidden);

    public Tensor? NextTokenLogits(ReadOnlySpan<long> tokens, KvCache cache) => Live is { } live ? live.NextTokenLogits(tokens, cache) : null;

    IInferenceCopies? Live => copies is not null && !is_grad_enabled() ? copies : null;

    /// <summary>Makes the backend's inference copies until the handle is disposed; nested calls share the outer ones.</summary>
    public IDisposable PackForInference(CausalLM model)
    {
        if (Backend is null || copies is not null) return new Unpacker(null);
        copies = Backend.PackForInference(model);
        return new Unpacker(this);
    }

    public void Unpack()
    {
        copies?.Dispose();
        copies = null;
    }

    internal IInferenceCopies? Copies => copies;

    sealed class Unpacker(Kernels? kernels) : IDisposable
    {
        public void Dispose()
        {
            kernels?.Unpack();
            kernels = null;
        }
    }
}
