using Ispo.Models.Sampling;
using Ispo.Serve.Engine;

namespace Ispo.Serve.Tests.Engine;

public class BatchPlannerTests
{
    static GenerationJob Job(int prompts = 1, int n = 1, double temperature = 1.0, long? seed = null, int maxTokens = 8) =>
        new(Enumerable.Repeat(new[] { 5, 6 }, prompts).ToList(), new SamplingOptions { SamplesPerPrompt = n, Temperature = temperature, MaxNewTokens = maxTokens }, seed);

    [Fact]
    public void Seedless_jobs_with_equal_settings_share_a_batch_in_arrival_order()
    {
        GenerationJob a = Job(), b = Job(temperature: 0.5), c = Job(prompts: 2), d = Job(maxTokens: 9);
        var pending = new List<GenerationJob> { a, b, c, d };
        Assert.Equal([a, c], BatchPlanner.Next(pending, maxRows: 64));
        Assert.Equal([b, d], pending);
        Assert.Equal([b], BatchPlanner.Next(pending, 64));
        Assert.Equal([d], BatchPlanner.Next(pending, 64));
        Assert.Empty(pending);
    }

    [Fact]
    public void A_seeded_job_runs_alone_and_is_never_joined()
    {
        GenerationJob seeded = Job(seed: 7), free = Job(), other = Job(seed: 7);
        var pending = new List<GenerationJob> { seeded, free, other };
        Assert.Equal([seeded], BatchPlanner.Next(pending, 64));
        Assert.Equal([free], BatchPlanner.Next(pending, 64)); // a seeded job does not join a seedless one either
        Assert.Equal([other], BatchPlanner.Next(pending, 64));
    }

    [Fact]
    public void Rows_stay_within_the_batch_and_a_later_small_job_may_fill_the_gap()
    {
        GenerationJob big = Job(prompts: 2, n: 3), bigger = Job(prompts: 2, n: 3), small = Job(prompts: 1, n: 3);
        var pending = new List<GenerationJob> { big, bigger, small };
        Assert.Equal([big, small], BatchPlanner.Next(pending, maxRows: 10)); // 6 + 6 would exceed 10 rows; 6 + 3 do not
        Assert.Equal([bigger], pending);
    }

    [Fact]
    public void Jobs_join_a_running_batch_in_order_while_live_rows_fit()
    {
        GenerationJob a = Job(), b = Job(prompts: 2), c = Job(), d = Job();
        var pending = new List<GenerationJob> { a, b, c, d };
        Assert.Equal([a, b], BatchPlanner.Joining(pending, a.Key, liveRows: 5, maxRows: 8)); // c would make 9 live
        Assert.Equal([c, d], pending);
        Assert.Empty(BatchPlanner.Joining(pending, a.Key, liveRows: 8, maxRows: 8));
        Assert.Equal([c, d], BatchPlanner.Joining(pending, a.Key, liveRows: 6, maxRows: 8));
        Assert.Empty(pending);
    }

    [Fact]
    public void A_seeded_job_or_another_key_stops_the_joins_behind_it()
    {
        GenerationJob a = Job(), seeded = Job(seed: 1), other = Job(temperature: 0.5), c = Job();
        var pending = new List<GenerationJob> { seeded, c };
        Assert.Empty(BatchPlanner.Joining(pending, a.Key, 0, 8));
        pending = [other, c];
        Assert.Empty(BatchPlanner.Joining(pending, a.Key, 0, 8));
        Assert.Equal([other, c], pending);
    }
}
