// How many prompts the sampler decodes at once under rollout.kv_cache_budget: one formula, used by the trainer (on
// each round's longest prompt) and by the memory plan (on the longest prompt it plans for).
using Ispo.Training.Configuration;
using Dims = Ispo.Models.Config.ModelConfig;

namespace Ispo.Training.Planning;

public static class RolloutChunk
{
    /// <summary>The sampler's KV bytes per rollout row of <paramref name="sequenceTokens"/> positions: its cache
    /// (TokenBytes.KvPerToken per position) and, at worst, the 3/4 of it that compaction copies while the old cache
    /// lives (Sampler: finished rows leave once a quarter of the batch is done), so 7/4 of the cache.</summary>
    public static long KvBytesPerRow(Dims dims, int dtypeBytes, int sequenceTokens) =>
        sequenceTokens * new TokenBytes(dims, dtypeBytes, OwnKernels: false).KvPerToken * 7 / 4;

    /// <summary>Prompts per sampling chunk: as many whole groups of <paramref name="groupSize"/> rows as keep
    /// <see cref="KvBytesPerRow"/> within <paramref name="budget"/>, at least one, at most <paramref name="prompts"/>.
    /// No budget: all of them.</summary>
    public static int Prompts(long? budget, long kvBytesPerRow, int groupSize, int prompts) => budget is not { } b ? prompts
        : (int)Math.Clamp(b / Math.Max(1, kvBytesPerRow * groupSize), 1, Math.Max(1, prompts));

    /// <summary>rollout.kv_cache_budget in bytes (null: unset).</summary>
    public static long? Budget(RolloutConfig rollout) => rollout.KvCacheBudget is { } text ? ByteSize.Parse(text) : null;
}
