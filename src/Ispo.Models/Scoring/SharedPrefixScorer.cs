// Teacher-forced log-probs of continuations that share prompts (a GRPO group's G rollouts): each distinct prompt is
// run once, its KV cache is repeated for its continuations, and only the continuations run on top. For groups of G
// this costs P·Tp + B·Tc token forwards instead of B·(Tp + Tc), which is what keeps ISPO's extra passes cheap.
using Ispo.Models.Modules;
using static TorchSharp.torch;

namespace Ispo.Models.Scoring;

public static class SharedPrefixScorer
{
    /// <summary>log p(c_j | prompt, c_&lt;j) for every continuation token; continuation r belongs to prompt
    /// r / <paramref name="perPrompt"/>. Returns float[len] per continuation (no grad).</summary>
    public static float[][] Score(CausalLM model, IReadOnlyList<int[]> prompts, int perPrompt, IReadOnlyList<int[]> continuations,
        int chunkSize = 1024)
    {
        if (continuations.Count != prompts.Count * perPrompt)
            throw new ArgumentException($"{continuations.Count} continuations for {prompts.Count} prompts × {perPrompt}");
        if (prompts.Any(p => p.Length == 0)) throw new ArgumentException("every prompt needs at least one token");
        int tc = Math.Max(1, continuations.Max(c => c.Length));
        using var noGrad = no_grad();
        using var frozen = model.FreezeForInference();
        using var scope = NewDisposeScope();
        (Tensor promptIds, Tensor? promptMask) = LeftPadding.Pack(prompts, model.Device);                   // [P,Tp]
        using KvCache promptCache = model.NewCache(prompts.Count, (int)promptIds.shape[1] + tc);
        Tensor last = model.Hidden(promptIds, promptMask, cache: promptCache).select(1, -1);          // [P,H]
        using KvCache cache = promptCache.RepeatRows(perPrompt);
        (Tensor ids, Tensor mask) = RightPadded(continuations, tc, model.Device);                       // [B,Tc]
        Tensor hidden = model.Hidden(ids, mask, cache: cache);                                          // [B,Tc,H]
        Tensor sources = cat([last.repeat_interleave(perPrompt, 0).unsqueeze(1), hidden.narrow(1, 0, tc - 1)], 1); // [B,Tc,H]
        Tensor valid = mask.reshape(-1).to(ScalarType.Bool).nonzero().squeeze(1);                        // [N]
        Tensor flatSources = sources.reshape(-1, sources.shape[^1]).index_select(0, valid);            // [N,H]
        Tensor targets = ids.reshape(-1).index_select(0, valid);                                        // [N]
        var parts = new List<Tensor>();
        for (long start = 0; start < flatSources.shape[0]; start += chunkSize)
        {
            long n = Math.Min(chunkSize, flatSources.shape[0] - start);
            Tensor logits = model.Logits(flatSources.narrow(0, start, n)).to(ScalarType.Float32);      // [n,V]
            parts.Add(logits.log_softmax(-1).gather(-1, targets.narrow(0, start, n).unsqueeze(-1)).squeeze(-1));
        }
        float[] flat = parts.Count == 0 ? [] : cat(parts, 0).data<float>().ToArray();
        var result = new float[continuations.Count][];
        for (int r = 0, at = 0; r < continuations.Count; r++)
        {
            result[r] = flat.AsSpan(at, continuations[r].Length).ToArray();
            at += continuations[r].Length;
        }
        return result;
    }

    static (Tensor Ids, Tensor Mask) RightPadded(IReadOnlyList<int[]> rows, int width, Device device)
    {
        var ids = new long[rows.Count * width];
        var mask = new long[rows.Count * width];
        for (int i = 0; i < rows.Count; i++)
            for (int j = 0; j < rows[i].Length; j++)
            {
                ids[i * width + j] = rows[i][j];
                mask[i * width + j] = 1;
            }
        return (tensor(ids, [rows.Count, width], device: device), tensor(mask, [rows.Count, width], device: device));
    }
}
