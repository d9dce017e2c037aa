// Bytes per token that the model's forward holds, read off the code that runs it (DecoderLayer, SelfAttention, Mlp,
// RMSNorm, Scorer): what autograd saves for backward, what a backward works in, what a gradient-free forward holds
// for one layer. Letters as in DESIGN.md: h hidden, I intermediate, H/Hkv heads, D head dim, V vocab, a the model
// dtype's bytes. Pure arithmetic, tested against a hand count and against measured peaks (bench/plan-vs-measured).
using Ispo.Models.Lora;
using Dims = Ispo.Models.Config.ModelConfig;

namespace Ispo.Training.Planning;

/// <param name="OwnKernels">fp32 on the CPU: RMSNorm, linear and causal attention run as our custom autograd functions
/// (FusedRmsNorm, FusedLinear, CausalAttention), which save only their inputs. Otherwise torch's composed ops run.</param>
public sealed record TokenBytes(Dims Dims, int A, bool OwnKernels)
{
    long Hd => Dims.HiddenSize;
    long I => Dims.IntermediateSize;
    long Q => (long)Dims.NumAttentionHeads * Dims.HeadDim;      // query width H·D
    long Kv => (long)Dims.NumKeyValueHeads * Dims.HeadDim;      // key (and value) width Hkv·D

    /// <summary>Saved for backward per token by one decoder layer. Own kernels:
    /// a·(4h + 3H·D + 2Hkv·D + 4I) + 4·(H + 2): the layer input and the mid-layer residual (each RMSNorm's input), the
    /// two normed inputs (read by q/k/v and by gate/up), q, k and v (contiguous copies, CausalAttention), its output
    /// and the [B,T,H·D] copy o_proj reads, gate, silu(gate), up and their product (down_proj's input), plus fp32 per
    /// head the attention's log-sum-exp and each norm's inverse RMS. Torch's ops: each norm also keeps its fp32 input
    /// (4h) and its normed value before the weight (a·h) in place of a·h, and SDPA keeps grouped q as a copy; the
    /// grouped-query mask copy is per row (see <see cref="LayerMaskPerRow"/>).</summary>
    public long LayerSaved => OwnKernels
        ? A * (4 * Hd + 3 * Q + 2 * Kv + 4 * I) + 4L * (Dims.NumAttentionHeads + 2)
        : 2 * (4 * Hd + A * Hd) + A * (2 * Hd + 3 * Q + 2 * Kv + 4 * I) + 4L * (Dims.NumAttentionHeads + 2);

    /// <summary>Saved per token by one layer's LoRA adapters (LoraAdapter.AddTo): B's input A·x (r values) for each
    /// adapted projection, and with dropout its mask and the dropped-out copy of x. A reads x, which the projection
    /// saves anyway.</summary>
    public long AdapterSaved(LoraOptions? lora) => lora is null ? 0
        : lora.TargetModules.Sum(t => A * (lora.Rank + (lora.Dropout > 0 ? 2 * ProjectionShape(t).In : 0)));

    /// <summary>(in, out) features of a decoder layer's projection, by its checkpoint name.</summary>
    public (long In, long Out) ProjectionShape(string name) => name switch
    {
        "q_proj" => (Hd, Q),
        "k_proj" or "v_proj" => (Hd, Kv),
        "o_proj" => (Q, Hd),
        "gate_proj" or "up_proj" => (Hd, I),
        "down_proj" => (I, Hd),
        _ => throw new ArgumentException($"unknown projection '{name}'"),
    };

    /// <summary>Parameters of <paramref name="lora"/>'s adapters, as LoraAdapters.Attach makes them: per layer and
    /// adapted projection, A [r,in] and B [out,r].</summary>
    public long AdapterParameters(LoraOptions lora) =>
        Dims.NumHiddenLayers * lora.TargetModules.Sum(t => (long)lora.Rank * (ProjectionShape(t).In + ProjectionShape(t).Out));

    /// <summary>What a checkpointed layer keeps per token (LayerCheckpoint): its input; with own kernels also the
    /// mid-layer residual, the attention's output and its fp32 log-sum-exp per head, from which the recompute skips the
    /// attention.</summary>
    public long CheckpointedLayer => OwnKernels ? A * (2 * Hd + Q) + 4L * Dims.NumAttentionHeads : A * Hd;

    /// <summary>What the layer being recomputed holds per token beside its checkpoint: its whole saved set, or with own
    /// kernels, which recompute the halves apart, the larger half's: the MLP's normed input and 4I (as in
    /// <see cref="LayerSaved"/>), or the attention's normed input, q, k, v and o_proj's copy.</summary>
    public long RecomputedLayer => OwnKernels ? Math.Max(A * (Hd + 4 * I), A * (Hd + 2 * Q + 2 * Kv)) + 4 : LayerSaved;

    /// <summary>Per token above the layers: the final norm's input (a·h, plus 4h on torch's ops).</summary>
    public long TopPerToken => OwnKernels ? A * Hd : A * Hd + 4 * Hd;

    /// <summary>Per scored (response) token: lm_head's input row (a·h) and the fp32 logits the log-prob keeps
    /// (FusedTokenLogProbs saves its [N,V] input; the composed log_softmax its output), 4V, plus its log-sum-exp; with
    /// the current policy's entropies (entropy bonus) log_softmax, exp and the clamped log-probs: 3 × 4V.</summary>
    public long PerScoredToken(bool entropies) => A * Hd + 4L * Dims.VocabSize * (entropies ? 3 : 1) + 4;

    /// <summary>Per row of T tokens, the additive [B,1,T,T] attention mask (the update always passes the padding mask),
    /// built once and read by every layer.</summary>
    public long MaskPerRow(long t) => A * t * t;

    /// <summary>Torch's grouped-query attention with a mask (SelfAttention.Attend) expands the mask to [B,1,G·T,T] per
    /// layer, G = H/Hkv; SDPA saves that copy. Our causal kernel reads the shared mask instead.</summary>
    public long LayerMaskPerRow(long t) => OwnKernels || Dims.KvGroups == 1 ? 0 : A * Dims.KvGroups * t * t;

    /// <summary>Backward's working set per token on top of the saved tensors, at its largest (one layer's activation
    /// gradients: the MLP's three I-wide ones, the residual and normed ones, q/k/v's twice).</summary>
    public long BackwardPerToken => A * (3 * I + 4 * Hd + 2 * (Q + 2 * Kv));

    /// <summary>The same for a checkpointed layer's recompute: with own kernels, whose halves are recomputed and
    /// back-propagated one after the other, the larger half's (the MLP's 3I and two h, or the attention's two h and
    /// the q/k/v gradients twice) and the residual's gradient between them.</summary>
    public long CheckpointedBackwardPerToken => OwnKernels
        ? Math.Max(A * (3 * I + 2 * Hd), A * (2 * Hd + 2 * (Q + 2 * Kv))) + A * Hd
        : BackwardPerToken;

    /// <summary>A gradient-free forward's transient per token, one layer at a time: the residual, normed input, fused
    /// q/k/v and their rotated copy, attention output and its reshaped copy, o_proj's output, the second norm, the
    /// fused gate/up and their product, down_proj's output.</summary>
    public long InferenceLayerPerToken => A * (5 * Hd + 2 * (Q + 2 * Kv) + 2 * Q + 3 * I);

    /// <summary>KV cache per token of one row: L layers × keys and values × Hkv·D, plus its key-bias entry.</summary>
    public long KvPerToken => 2L * Dims.NumHiddenLayers * Kv * A + A;

    /// <summary>fp32 logits of one row (a decoding step, or a log-prob chunk's row).</summary>
    public long LogitsRow => 4L * Dims.VocabSize;
}
