// The prompts' prefill kept after sampling, so that continuations teacher-forced right after the same prompts under
// the same weights (ISPO's trace-ablated answers) need no second prefill.
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

    internal KvCache Cache { get; }
    internal Tensor Last { get; }
    public int Count => Cache.Batch;

    public void Dispose()
    {
        Cache.Dispose();
        Last.Dispose();
    }
}
