// Plans a training step's memory before anything is loaded: the persistent state (weights, gradients, AdamW's moments,
// the frozen base policy), then each phase's peak on top of it: sampling (inference copy of the weights, KV cache),
// the extra scoring passes (base log-probs, trace-ablated answers) and the update (one micro-batch's activations and
// its backward). Every term follows the code that allocates it; TokenBytes holds the per-token counts.
namespace Ispo.Training.Planning;

public static class MemoryPlanner
{
    /// <summary>Tokens per log-prob chunk (ScoreOptions.ChunkSize, UpdateOptions.ScoreChunk): [chunk,V] fp32 at a time.</summary>
    public const int LogitsChunk = 1024;

    public static MemoryPlan Plan(PlanInputs p)
    {
        var d = p.Dims;
        int a = p.DtypeBytes;
        var tb = new TokenBytes(d, a, p.OwnKernels);
        long parameters = d.ParameterCount(), t = p.SequenceTokens, r = p.MaxNewTokens, tp = p.PromptTokens;
        // LoRA (LoraAdapters.Attach): the base weights freeze, the adapters alone get gradients and AdamW state
        long adapters = p.Lora is { } lora ? tb.AdapterParameters(lora) : 0, trainable = p.Lora is null ? parameters : adapters;

        // mixed precision (MasterWeights): fp32 masters, their fp32 gradients beside the model's, fp32 AdamW moments
        long masters = p.MasterWeights ? 4 * trainable : 0;
        long weights = (parameters + adapters) * a, gradients = trainable * a + masters;
        long optimizer = p.OptimizerStates * trainable * (p.MasterWeights ? 4 : a);
        long baseModel = p.BaseModel && !p.BaseIsPolicyWithoutAdapters ? parameters * a : 0;
        long persistent = weights + masters + gradients + optimizer + baseModel;
        long inferenceCopy = InferenceCopyParameters(d) * a; // CausalLM.FreezeForInference while sampling and scoring

        // Sampling, per chunk of Pc prompts (rollout.kv_cache_budget; all of them without): the prompts' prefill cache,
        // grown into one [L,Pc·G,Hkv,Tp+R,D] cache; compacting it when a quarter of the rows are done copies the rest
        // (≤ 3/4) while the old one lives: 1.75× at worst.
        long pc = p.RolloutPrompts, rc = p.RolloutRows;
        long prefix = pc * tp * tb.KvPerToken;
        long prefill = prefix + pc * tp * (tb.InferenceLayerPerToken + a * (long)d.HiddenSize) + pc * tb.MaskPerRow(tp);
        long kv = rc * t * tb.KvPerToken;
        long logits = 2L * rc * tb.LogitsRow;
        long keptPrefix = p.AblatedPass ? prefix : 0;
        long compaction = kv * 3 / 4;
        // Growing the prefill into G rows each (KvCache.SelectRows) gathers the filled prefix, [L,Pc·G,Hkv,Tp,D], into a
        // temporary that lives in the sampler's scope until sampling ends.
        long gathered = rc * tp * tb.KvPerToken;
        long decode = Math.Max(kv + prefix, kv + compaction + keptPrefix) + gathered + logits;

        // Scoring passes (SharedPrefixScorer): per chunk of ScoringRows rows, the chunk's prompt prefill and a cache for
        // prompt + continuation, a gradient-free forward over the continuations, the [B,1,Tc,S] mask (and torch's
        // grouped copy), two logits chunks. The trace-ablated pass runs right after each sampling chunk on the policy's
        // kept prefill (RolloutGenerator); the base pass in the scoring phase, on two workers at once (RolloutScoring).
        int workers = p.BaseModel && p.Prompts > 1 ? 2 : 1;
        long ablated = p.AblatedPass ? ScoringChunk(p, tb, Math.Min(p.ScoringRows, rc), Math.Min(p.AnswerTokens, p.MaxNewTokens)) : 0;
        long basePasses = p.BaseModel ? workers * ScoringChunk(p, tb, Math.Min(p.ScoringRows, (p.Rows + workers - 1) / workers), p.MaxNewTokens) : 0;
        long sampling = persistent + inferenceCopy + Math.Max(Math.Max(prefill, decode), keptPrefix + ablated);
        long scoring = persistent + (p.BaseModel ? inferenceCopy + basePasses : 0);

        // Update: the whole step's batch, the largest micro-batch's saved activations (N padded tokens: rows × T, or
        // the token budget; per token a row's share, perRow / T, which bounds rows of any length) and its backward
        // working set, a logits chunk's gradient.
        long batch = p.Rows * (20 * t + 56 * r);
        (long perRow, long perRowCheckpointed) = ActivationsPerRow(p, tb);
        long n = p.MicroBatchTokensAtMost;
        long logitsGrad = 2L * LogitsChunk * tb.LogitsRow;
        long activations = perRow * n / t, checkpointed = perRowCheckpointed * n / t;
        long backwardPlain = n * tb.BackwardPerToken, backwardCheckpointed = n * tb.CheckpointedBackwardPerToken;
        long updatePlain = persistent + batch + activations + backwardPlain + logitsGrad;
        long updateCheckpointed = persistent + batch + checkpointed + backwardCheckpointed + logitsGrad;
        long update = p.GradientCheckpointing ? updateCheckpointed : updatePlain;

        var bytes = new List<KeyValuePair<string, long>>
        {
            new("weights", weights), new("master_weights", masters), new("gradients", gradients), new("optimizer", optimizer), new("base_model", baseModel),
            new("inference_copy", inferenceCopy), new("kv_cache", kv), new("kv_compaction", compaction),
            new("sampling_other", decode - kv - compaction),
            new("scoring_passes", Math.Max(ablated, basePasses)), new("batch", batch), new("activations", activations),
            new("activations_checkpointed", checkpointed), new("backward", (p.GradientCheckpointing ? backwardCheckpointed : backwardPlain) + logitsGrad),
        };
        int? maxMicro = null, maxMicroCheckpointed = null, maxRollouts = null;
        long? maxMicroTokens = null;
        if (p.Budget is { } budget)
        {
            long updateFree = budget - persistent - batch - logitsGrad;
            long plainRow = perRow + t * tb.BackwardPerToken, checkpointedRow = perRowCheckpointed + t * tb.CheckpointedBackwardPerToken;
            maxMicro = Rows(updateFree, plainRow);
            maxMicroCheckpointed = Rows(updateFree, checkpointedRow);
            maxMicroTokens = updateFree <= 0 ? 0 : updateFree * t / (p.GradientCheckpointing ? checkpointedRow : plainRow);
            long perRollout = t * tb.KvPerToken * 7 / 4 + 2 * tb.LogitsRow + (p.AblatedPass ? tp * tb.KvPerToken / p.GroupSize : 0);
            maxRollouts = Rows(budget - persistent - inferenceCopy, perRollout) / p.GroupSize * p.GroupSize;
        }
        var plan = new MemoryPlan
        {
            Parameters = parameters, TrainableParameters = trainable, Bytes = bytes, Sampling = sampling, Scoring = scoring,
            Update = update, UpdateCheckpointed = updateCheckpointed, UpdateWithoutCheckpointing = updatePlain,
            GradientCheckpointing = p.GradientCheckpointing, Budget = p.Budget, Rows = p.Rows, SequenceTokens = p.SequenceTokens,
            MicroBatchRows = p.MicroBatchRows, MicroBatchTokens = n, RolloutRows = (int)rc,
            MaxMicroBatchRows = maxMicro, MaxMicroBatchRowsCheckpointed = maxMicroCheckpointed, MaxMicroBatchTokens = maxMicroTokens,
            MaxRolloutRows = maxRollouts, Problems = [],
        };
        return plan with { Problems = PlanProblems.Explain(plan, p, persistent) };
    }

    /// <summary>Saved activations of one row of T tokens, without and with per-layer checkpointing (a checkpointed
    /// layer keeps its input, and on our kernels the attention's output and the mid-layer residual; the layer being
    /// recomputed holds its full set, or on our kernels its larger half's).</summary>
    internal static (long Plain, long Checkpointed) ActivationsPerRow(PlanInputs p, TokenBytes tb)
    {
        long t = p.SequenceTokens, layers = p.Dims.NumHiddenLayers;
        long top = t * tb.TopPerToken + p.MaxNewTokens * tb.PerScoredToken(p.CurrentEntropies) + tb.MaskPerRow(t);
        long adapters = tb.AdapterSaved(p.Lora);
        long plain = t * layers * (tb.LayerSaved + adapters) + layers * tb.LayerMaskPerRow(t) + top;
        long checkpointed = t * (layers * tb.CheckpointedLayer + tb.RecomputedLayer + adapters) + tb.LayerMaskPerRow(t) + top;
        return (plain, checkpointed);
    }

    /// <summary>One scoring chunk: <paramref name="rows"/> continuations of up to <paramref name="r"/> tokens after
    /// prompts of Tp. Each of two workers scores its half of the rows in chunks, so a worker's chunk is at most half
    /// the step.</summary>
    internal static long ScoringChunk(PlanInputs p, TokenBytes tb, long rows, long r)
    {
        long tp = p.PromptTokens, s = tp + r;
        long contexts = (rows + p.GroupSize - 1) / p.GroupSize * tp * tb.KvPerToken;
        long cache = rows * s * tb.KvPerToken;
        long forward = rows * r * (tb.InferenceLayerPerToken + (long)p.DtypeBytes * p.Dims.HiddenSize);
        long masks = rows * r * s * p.DtypeBytes * (1L + (p.Dims.KvGroups > 1 ? p.Dims.KvGroups : 0));
        return contexts + cache + forward + masks + 2L * LogitsChunk * tb.LogitsRow;
    }

    /// <summary>Parameters that FreezeForInference copies: every projection (q/k/v fused with their biases, o, gate/up
    /// fused, down) and the logits weight; not the input embedding when untied, nor the norms.</summary>
    public static long InferenceCopyParameters(Ispo.Models.Config.ModelConfig d) =>
        d.ParameterCount() - (d.TieWordEmbeddings ? 0 : (long)d.VocabSize * d.HiddenSize) - (2L * d.NumHiddenLayers + 1) * d.HiddenSize;

    static int Rows(long free, long perRow) => free <= 0 ? 0 : (int)Math.Min(int.MaxValue, free / Math.Max(1, perRow));
}
