// Prompts run once: each one's keys and values with no room after them, and its last token's hidden state. Sampling
// grows it into its decoding cache and can hand it back, so that continuations teacher-forced right after the same
// prompts under the same weights (ISPO's trace-ablated answers) need no second prefill; scoring grows it per bucket.
using Ispo.Models.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Scoring;

public sealed class PromptPrefix : IDisposable
{
    /// <param name="cache">Each prompt's keys and values (left-padded batch of P rows, filled to the longest prompt).</param>
    /// <param name="last">Hidden state of each prompt's last token [P,hidden]: the source of the first continuation token's logits.</param>
    internal PromptPrefix(KvCache cache, Tensor last)
    {
        Cache = cache;
        Last = last.clone().DetachFromDisposeScope(); // a copy: the view would keep the whole prefill alive
    }

    /// <summary>Runs the prompts as one left-padded batch [P,Tp]. The caller holds no_grad (and, for speed, the
    /// model packed for inference).</summary>
    internal static PromptPrefix Prefill(CausalLM model, IReadOnlyList<IReadOnlyList<int>> prompts)
    {
        using var scope = NewDisposeScope();
        (Tensor ids, Tensor? mask) = LeftPadding.Pack(prompts, model.Device);            // [P,Tp]
        KvCache cache = model.NewCache(prompts.Count, (int)ids.shape[1]);
        Tensor last = model.Hidden(ids, mask, cache: cache).select(1, -1);               // [P,hidden]
        return new PromptPrefix(cache, last);
    }

    internal KvCache Cache { get; }
    internal Tensor Last { get; }
    public int Count => Cache.Batch;

    public void Dispose()
    {
        Cache.Dispose();
        Last.Dispose();
    }
}
