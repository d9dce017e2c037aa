using Ispo.Models.Sampling;

namespace Ispo.Models.Tests.Sampling;

public class DecodeBatchTests
{
    static readonly int[][] Running = [[5, 9, 14, 3], [8, 4, 2]];

    /// <summary>Prompts joining a batch at step boundaries (one longer than what the batch has filled, so the running rows
    /// shift right; one shorter; one late; one once the first rows have left the cache, so its unused left is
    /// trimmed) decode, greedily, exactly what each prompt gives alone, and
    /// the running rows are unchanged by them.</summary>
    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void JoinedPromptsDecodeAsEachAloneGreedy(string name)
    {
        using var model = TinyModels.Create(name);
        var options = new SamplingOptions { Greedy = true, MaxNewTokens = 12, SamplesPerPrompt = 2 };
        int[][] joining = [[17, 11, 6, 25, 30, 1, 2, 3, 4, 5, 6, 7], [3], [9, 9, 9], [4, 4, 8, 1]];
        var firstRow = new Dictionary<int[], int>();
        using (DecodeBatch batch = DecodeBatch.Start(model, Running, options))
        {
            for (int step = 0; batch.Step(); step++)
            {
                if (step == 1) firstRow[joining[0]] = batch.Join([joining[0]]);
                if (step == 2) firstRow[joining[1]] = batch.Join([joining[1]]);
                if (step == 6) firstRow[joining[2]] = batch.Join([joining[2]]);
                if (step == 15) firstRow[joining[3]] = batch.Join([joining[3]]); // rows started and joined at 1, 2 are done
            }
            Assert.Equal((Running.Length + joining.Length) * 2, batch.Rows);
            Assert.All(Enumerable.Range(0, batch.Rows), row => Assert.True(batch.IsFinished(row)));
            IReadOnlyList<Sample> started = Sampler.Generate(model, Running, options);
            for (int row = 0; row < started.Count; row++) AssertSame(started[row], batch.SampleOf(row));
            foreach ((int[] prompt, int first) in firstRow)
            {
                IReadOnlyList<Sample> alone = Sampler.Generate(model, [prompt], options);
                for (int g = 0; g < 2; g++) AssertSame(alone[g], batch.SampleOf(first + g));
            }
        }
    }

    /// <summary>A prompt joining after one row of five has finished (too few for the batch to drop it) takes that row's
    /// place in the cache, and still decodes exactly what it gives alone.</summary>
    [Theory]
    [InlineData(nameof(TinyModels.Qwen2), CpuKernels.Auto)]
    [InlineData(nameof(TinyModels.Qwen2), CpuKernels.Off)]
    [InlineData(nameof(TinyModels.Llama), CpuKernels.Auto)]
    public void A_joining_prompt_takes_a_finished_rows_place_in_the_cache(string name, CpuKernels kernels)
    {
        using var model = TinyModels.Create(name, kernels: kernels);
        int[][] prompts = [[5, 9, 14, 3], [8, 4, 2], [7, 7, 1, 30], [12, 6], [21, 3, 3]];
        var greedy = new SamplingOptions { Greedy = true, MaxNewTokens = 10 };
        int eos = Sampler.Generate(model, [prompts[0]], greedy)[0].TokenIds[0]; // row 0 ends at its first token
        var options = greedy with { EosTokenIds = [eos] };
        IReadOnlyList<Sample> started = Sampler.Generate(model, prompts, options);
        Assert.Equal(1, started.Count(s => s.TokenIds.Length == 1)); // only row 0 ends at once
        int[] joining = [17, 11, 6, 25, 30, 1];
        using DecodeBatch batch = DecodeBatch.Start(model, prompts, options);
        batch.Step();
        Assert.True(batch.IsFinished(0));
        int first = batch.Join([joining]);
        Assert.Equal(0, batch.CacheRowOf(first)); // row 0's place
        Assert.Equal(-1, batch.CacheRowOf(0));
        while (batch.Step()) { }
        for (int row = 0; row < prompts.Length; row++) AssertSame(started[row], batch.SampleOf(row));
        AssertSame(Sampler.Generate(model, [joining], options)[0], batch.SampleOf(first));
    }

    static void AssertSame(Sample expected, Sample actual)
    {
        Assert.Equal(expected.TokenIds, actual.TokenIds);
        Assert.Equal(expected.LogProbs, actual.LogProbs, (a, b) => Math.Abs(a - b) < 1e-4);
        Assert.Equal(expected.FinishReason, actual.FinishReason);
    }

    [Fact]
    public void A_released_row_is_forgotten_and_a_row_still_decoding_cannot_be_released()
    {
        using var model = TinyModels.Create(TinyModels.Qwen2);
        using DecodeBatch batch = DecodeBatch.Start(model, Running, new SamplingOptions { Greedy = true, MaxNewTokens = 2 });
        batch.Step();
        Assert.Throws<InvalidOperationException>(() => batch.Release(0));
        while (batch.Step()) { }
        Sample kept = batch.SampleOf(1);
        batch.Release(0);
        Assert.True(batch.IsFinished(0));
        Assert.Throws<InvalidOperationException>(() => batch.SampleOf(0));
        Assert.Equal(kept.TokenIds, batch.SampleOf(1).TokenIds);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.IsFinished(batch.Rows));
    }

    [Fact]
    public void ABatchThatIsDoneTakesNoMorePrompts()
    {
        using var model = TinyModels.Create(TinyModels.Qwen2);
        using DecodeBatch batch = DecodeBatch.Start(model, Running, new SamplingOptions { Greedy = true, MaxNewTokens = 2 });
        while (batch.Step()) { }
        Assert.True(batch.Done);
        Assert.Throws<InvalidOperationException>(() => batch.Join([[1, 2]]));
    }
}
