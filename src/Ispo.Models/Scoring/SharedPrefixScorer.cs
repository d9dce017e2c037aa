// Teacher-forced log-probs of continuations after contexts, where many rows share a context (a GRPO group's G
// rollouts) and many are identical (confident rollouts, or the same final answer): each distinct context is run
// once, its KV cache is copied to its distinct continuations, and only those run on top, in buckets of similar
// length. For groups of G this costs about P·Tp + B·Tc token forwards instead of B·(Tp + Tc), which is what keeps
// ISPO's extra passes cheap.
using Ispo.Models.Modules;
using Ispo.Models.Sampling;
using static TorchSharp.torch;

namespace Ispo.Models.Scoring;

public static class SharedPrefixScorer
{
    /// <summary>log p(c_j | context, c_&lt;j) for every continuation token of every row (no grad), p being
    /// softmax(logits / <paramref name="temperature"/>): float[len] per row. Identical rows get equal (separate) arrays.</summary>
    public static float[][] Score(CausalLM model, IReadOnlyList<(int[] Context, int[] Continuation)> rows, int chunkSize = 1024,
        double temperature = 1.0) => Run(model, rows, chunkSize, temperature, withEntropy: false).LogProbs;

    /// <summary>The same, plus the entropy (nats) of that full distribution at each continuation position: what the
    /// sampler reports, for rollouts sampled elsewhere (a remote engine returns no entropies).</summary>
    public static (float[][] LogProbs, float[][] Entropies) ScoreWithEntropies(CausalLM model,
        IReadOnlyList<(int[] Context, int[] Continuation)> rows, int chunkSize = 1024, double temperature = 1.0)
    {
        (float[][] logProbs, float[][]? entropies) = Run(model, rows, chunkSize, temperature, withEntropy: true);
        return (logProbs, entropies!);
    }

    static (float[][] LogProbs, float[][]? Entropies) Run(CausalLM model, IReadOnlyList<(int[] Context, int[] Continuation)> rows,
        int chunkSize, double temperature, bool withEntropy)
    {
        if (rows.Any(r => r.Context.Length == 0)) throw new ArgumentException("every context needs at least one token");
        if (rows.Count == 0) return ([], withEntropy ? [] : null);
        var contexts = new Distinct();
        var onContexts = rows.Select(r => (contexts.IndexOf(r.Context), r.Continuation)).ToList();
        using var noGrad = no_grad();
        using var packed = model.PackForInference();
        using PromptPrefix prefix = PromptPrefix.Prefill(model, contexts.Items);
        return Run(model, prefix, onContexts, chunkSize, temperature, withEntropy);
    }

    /// <summary>The same after prompts whose prefill was kept (row r continues prompt <c>Prompt</c> of
    /// <paramref name="prompts"/>), with no second prefill. Each distinct (prompt, continuation) pair runs once.</summary>
    public static float[][] Score(CausalLM model, PromptPrefix prompts, IReadOnlyList<(int Prompt, int[] Continuation)> rows,
        int chunkSize = 1024, double temperature = 1.0) => Run(model, prompts, rows, chunkSize, temperature, withEntropy: false).LogProbs;

    static (float[][] LogProbs, float[][]? Entropies) Run(CausalLM model, PromptPrefix prompts,
        IReadOnlyList<(int Prompt, int[] Continuation)> rows, int chunkSize, double temperature, bool withEntropy)
    {
        if (rows.Any(r => r.Prompt < 0 || r.Prompt >= prompts.Count))
            throw new ArgumentOutOfRangeException(nameof(rows), $"a prompt index outside the {prompts.Count} kept");
        var pairs = new Distinct(); // a prompt's index followed by a continuation
        int[] uniqueOfRow = rows.Select(r => pairs.IndexOf([r.Prompt, .. r.Continuation])).ToArray();
        if (pairs.Count == 0) return ([], withEntropy ? [] : null);
        using var noGrad = no_grad();
        using var packed = model.PackForInference();
        (float[][] unique, float[][]? uniqueEntropies) = ScoreOnContexts(model, prompts.Cache, prompts.Last, pairs.Items.Select(p => p[0]).ToList(),
            pairs.Items.Select(p => p[1..]).ToList(), chunkSize, temperature, withEntropy);
        return (uniqueOfRow.Select(u => unique[u].ToArray()).ToArray(), uniqueEntropies is null ? null : uniqueOfRow.Select(u => uniqueEntropies[u].ToArray()).ToArray());
    }

    static (float[][] LogProbs, float[][]? Entropies) ScoreOnContexts(CausalLM model, KvCache contextCache, Tensor contextLast,
        IReadOnlyList<int> contextOf, IReadOnlyList<int[]> continuations, int chunkSize, double temperature, bool withEntropy)
    {
        var result = new float[continuations.Count][];
        float[][]? entropies = withEntropy ? new float[continuations.Count][] : null;
        foreach (int[] rows in LengthBuckets(continuations.Select(c => c.Length).ToArray()))
        {
            using var bucketScope = NewDisposeScope();
            (float[][] scored, float[][]? scoredEntropies) = ScoreBucket(model, contextCache, contextLast, rows.Select(r => contextOf[r]).ToArray(),
                rows.Select(r => continuations[r]).ToList(), chunkSize, temperature, withEntropy);
            for (int i = 0; i < rows.Length; i++)
            {
                result[rows[i]] = scored[i];
                if (entropies is not null) entropies[rows[i]] = scoredEntropies![i];
            }
        }
        return (result, entropies);
    }

    /// <summary>Continuations of a similar length run together, each padded only to its bucket's longest.</summary>
    static (float[][] LogProbs, float[][]? Entropies) ScoreBucket(CausalLM model, KvCache contextCache, Tensor contextLast, int[] contextOf,
        IReadOnlyList<int[]> continuations, int chunkSize, double temperature, bool withEntropy)
    {
        int tc = Math.Max(1, continuations.Max(c => c.Length));
        Tensor rowContext = tensor(contextOf.Select(c => (long)c).ToArray(), device: model.Device);   // [B]
        using KvCache cache = contextCache.SelectRows(rowContext, contextCache.Length + tc);     // room for this bucket only
        (Tensor ids, Tensor mask) = RightPadded(continuations, tc, model.Device);                       // [B,Tc]
        Tensor hidden = model.Hidden(ids, mask, cache: cache);                                          // [B,Tc,H]
        Tensor sources = cat([contextLast.index_select(0, rowContext).unsqueeze(1), hidden.narrow(1, 0, tc - 1)], 1); // [B,Tc,H]
        Tensor valid = mask.reshape(-1).to(ScalarType.Bool).nonzero().squeeze(1);                        // [N]
        Tensor flatSources = sources.reshape(-1, sources.shape[^1]).index_select(0, valid);            // [N,H]
        Tensor targets = ids.reshape(-1).index_select(0, valid);                                        // [N]
        var parts = new List<Tensor>();
        var entropyParts = new List<Tensor>();
        for (long start = 0; start < flatSources.shape[0]; start += chunkSize)
        {
            long n = Math.Min(chunkSize, flatSources.shape[0] - start);
            Tensor logits = model.Logits(flatSources.narrow(0, start, n)).to(ScalarType.Float32);      // [n,V]
            (Tensor logProbs, Tensor? entropy) = TokenPicker.LogProbsAndEntropies(logits, targets.narrow(0, start, n), temperature,
                withEntropy, model.Kernels.Backend);                                                    // [n], [n]
            parts.Add(logProbs);
            if (entropy is not null) entropyParts.Add(entropy);
        }
        return (PerRow(parts, continuations), withEntropy ? PerRow(entropyParts, continuations) : null);
    }

    static float[][] PerRow(List<Tensor> parts, IReadOnlyList<int[]> continuations)
    {
        float[] flat = parts.Count == 0 ? [] : cat(parts, 0).cpu().data<float>().ToArray();
        var result = new float[continuations.Count][];
        for (int r = 0, at = 0; r < continuations.Count; r++)
        {
            result[r] = flat.AsSpan(at, continuations[r].Length).ToArray();
            at += continuations[r].Length;
        }
        return result;
    }

    /// <summary>What one more forward call costs, in padded token positions: small enough that a batch whose
    /// lengths spread (sampled responses) splits, large enough that it does not split into many tiny calls.</summary>
    internal const int CallCostInPositions = 32;

    /// <summary>Row indices grouped into buckets of similar length, longest first, minimising the padded positions
    /// run plus <see cref="CallCostInPositions"/> per bucket (an exact partition of the sorted lengths).</summary>
    internal static List<int[]> LengthBuckets(int[] lengths)
    {
        int[] order = Enumerable.Range(0, lengths.Length).OrderByDescending(i => lengths[i]).ThenBy(i => i).ToArray();
        int n = order.Length;
        var cost = new long[n + 1];   // cost[j]: best cost of the first j rows of `order`
        var cut = new int[n + 1];     // where the last bucket of that best partition starts
        for (int j = 1; j <= n; j++)
        {
            cost[j] = long.MaxValue;
            for (int i = 0; i < j; i++)
            {
                long c = cost[i] + CallCostInPositions + (long)(j - i) * Math.Max(1, lengths[order[i]]);
                if (c < cost[j]) (cost[j], cut[j]) = (c, i);
            }
        }
        var buckets = new List<int[]>();
        for (int j = n; j > 0; j = cut[j]) buckets.Add(order[cut[j]..j]);
        buckets.Reverse();
        return buckets;
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

    /// <summary>Token sequences numbered in order of first appearance, compared by content.</summary>
    sealed class Distinct
    {
        readonly Dictionary<string, int> index = [];
        public List<int[]> Items { get; } = [];
        public int Count => Items.Count;

        public int IndexOf(int[] sequence)
        {
            string key = string.Join(',', sequence);
            if (index.TryGetValue(key, out int i)) return i;
            index[key] = Items.Count;
            Items.Add(sequence);
            return Items.Count - 1;
        }
    }
}
