// What a kernels backend offers the model (see Kernels). Each operation returns null where the backend leaves it to
// the modules' plain TorchSharp code: a dtype, device, shape or CPU it does not take.
using Ispo.Models.Modules;
using Ispo.Models.Sampling;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Ispo.Models;

internal interface IKernels
{
    /// <summary>x·Wᵀ + b, with gradients where the inputs need them; with <paramref name="valueUnread"/> the backend may
    /// leave the product uncomputed (zeros) and compute only its gradients.</summary>
    Tensor? Linear(Tensor x, Tensor weight, Tensor? bias, bool valueUnread); // [...,K], [N,K], [N] or null -> [...,N]

    /// <summary>x·rsqrt(mean(x²) + eps)·w over the last dim.</summary>
    Tensor? RmsNorm(Tensor x, Tensor weight, double eps); // [...,H], [H] -> [...,H]

    /// <summary>softmax(q·kᵀ/√D + mask)·v over a whole causal sequence (T = S, no cached past). With a
    /// <paramref name="record"/>: a forward without gradients keeps its output there; a forward with gradients given a
    /// kept output returns it, computing nothing, and back-propagates from it (gradient checkpointing's recompute).</summary>
    Tensor? Attention(Tensor q, Tensor k, Tensor v, Tensor? mask, AttentionRecord? record); // [B,H,T,D], [B,Hkv,S,D] ×2, [B,1,T,S] -> [B,H,T,D]

    /// <summary>log_softmax(logits/τ) at the given tokens.</summary>
    Tensor? TokenLogProbs(Tensor logits, Tensor tokens, double temperature); // [N,V] float32, [N] int64 -> [N]

    /// <summary>What TokenPicker.Pick returns, as arrays.</summary>
    (long[] Tokens, float[] LogProbs, float[] Entropies)? PickTokens(Tensor logits, SamplingOptions options, Generator generator); // [N,V]

    /// <summary>Inference-only copies of the model's weights, used until disposed (see CausalLM.PackForInference).</summary>
    IInferenceCopies PackForInference(CausalLM model);
}

/// <summary>A model's weights copied for gradient-free forwards.</summary>
internal interface IInferenceCopies : IDisposable
{
    /// <summary>x times the copy of these layers' weights side by side: their outputs concatenated.</summary>
    Tensor? Multiply(Tensor x, Linear[] parts); // [...,in] -> [...,Σout]

    /// <summary>The lm_head (or tied embedding) applied to hidden states.</summary>
    Tensor? Logits(Tensor hidden); // [...,hidden] -> [...,V]

    /// <summary>CausalLM.NextTokenLogits in one step of its own.</summary>
    Tensor? NextTokenLogits(ReadOnlySpan<long> tokens, KvCache cache); // -> [N,V] float32

    /// <summary>CausalLM.PrefillRows in one pass of its own.</summary>
    Tensor? PrefillRows(IReadOnlyList<IReadOnlyList<int>> prompts, int[] cacheRows, KvCache cache); // -> [P,V] float32
}
