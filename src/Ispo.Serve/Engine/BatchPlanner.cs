// Chooses the next sampler call from the waiting jobs: the oldest job, joined (when it has no seed of its own) by
// every later seedless job with the same sampling settings while the rows fit. Seeded jobs run alone, so their
// random stream is exactly that of Sampler.Generate over their own prompts.
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
}
