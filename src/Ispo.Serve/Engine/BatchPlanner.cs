// Chooses the next sampler call from the waiting jobs: the oldest job, joined (when it has no seed of its own) by
// every later seedless job with the same sampling settings while the rows fit. Seeded jobs run alone, so their
// random stream is exactly that of Sampler.Generate over their own prompts. Between two steps of a running batch,
// Joining picks the waiting jobs that join it.
namespace Ispo.Serve.Engine;

internal static class BatchPlanner
{
    /// <summary>Removes the next batch from <paramref name="pending"/> (arrival order) and returns it.</summary>
    public static List<GenerationJob> Next(List<GenerationJob> pending, int maxRows)
    {
        if (pending.Count == 0) return [];
        GenerationJob first = pending[0];
        var batch = new List<GenerationJob> { first };
        int rows = first.Rows;
        if (first.Seed is null)
            foreach (GenerationJob job in pending.Skip(1))
                if (job.Seed is null && job.Key == first.Key && rows + job.Rows <= maxRows)
                {
                    batch.Add(job);
                    rows += job.Rows;
                }
        var taken = batch.ToHashSet();
        pending.RemoveAll(taken.Contains);
        return batch;
    }

    /// <summary>Removes from <paramref name="pending"/> the jobs that join a running batch of <paramref name="key"/>
    /// with <paramref name="liveRows"/> rows decoding, and returns them: in arrival order up to the first that is seeded,
    /// has another key, or would take the live rows past <paramref name="maxRows"/>. A job that cannot join stops every
    /// later one, so the batch drains and that job runs next: nothing waits behind joiners for ever.</summary>
    public static List<GenerationJob> Joining(List<GenerationJob> pending, BatchKey key, int liveRows, int maxRows)
    {
        var joining = new List<GenerationJob>();
        foreach (GenerationJob job in pending)
        {
            if (job.Seed is not null || job.Key != key || liveRows + job.Rows > maxRows) break;
            joining.Add(job);
            liveRows += job.Rows;
        }
        pending.RemoveRange(0, joining.Count);
        return joining;
    }
}
