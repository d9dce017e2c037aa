// Ispo's hand-written CPU kernels as a model's backend (see Kernels): each operation runs here when its kernel takes
// the tensors (fp32 on the CPU, the instruction sets it needs), else is left to torch.
using Ispo.Models.Modules;
using Ispo.Models.Sampling;
using static TorchSharp.torch;

namespace Ispo.Models.Cpu;

internal sealed class CpuBackend : IKernels
{
    public Tensor? Linear(Tensor x, Tensor weight, Tensor? bias, bool valueUnread) =>
        PackedLinear.Supports(x, weight) ? PackedLinear.Apply(x, weight, bias, valueUnread) : null;

    public Tensor? RmsNorm(Tensor x, Tensor weight, double eps) =>
        FusedRmsNorm.Supports(x, weight) ? FusedRmsNorm.Apply(x, weight, eps) : null;

    public Tensor? Attention(Tensor q, Tensor k, Tensor v, Tensor? mask, AttentionRecord? record) =>
        CausalAttention.Supports(q, k, mask) ? CausalAttention.Apply(q, k, v, mask, record) : null;

    public Tensor? TokenLogProbs(Tensor logits, Tensor tokens, double temperature) =>
        FusedTokenLogProbs.Supports(logits, tokens) ? FusedTokenLogProbs.Apply(logits, tokens, temperature) : null;

    public (long[] Tokens, float[] LogProbs, float[] Entropies)? PickTokens(Tensor logits, SamplingOptions options, Generator generator) =>
        CpuTokenPicker.TryPick(logits, options, generator, out long[] tokens, out float[] logProbs, out float[] entropies)
            ? (tokens, logProbs, entropies) : null;

    public IInferenceCopies PackForInference(CausalLM model) => new InferenceCopies(model);
}
