// DAPO's dynamic sampling: keep only groups whose rewards are not all equal (0 < accuracy < 1), judged on the
// outcome reward (DAPO) or on the final shaped reward (what the advantage actually sees).
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public enum GroupVarianceSource { Outcome, Reward }

public sealed record DynamicSamplingOptions
{
    public GroupVarianceSource By { get; init; } = GroupVarianceSource.Outcome;
    /// <summary>Sampling rounds per step (the first included) before training on what was collected.</summary>
    public int MaxRounds { get; init; } = 3;
}

[AlgorithmComponent("dynamic_sampling", typeof(DynamicSamplingOptions), "Keeps groups with non-zero reward variance (DAPO).")]
public sealed class DynamicSamplingFilter : IGroupFilter
{
    public DynamicSamplingFilter(DynamicSamplingOptions options)
    {
        if (options.MaxRounds < 1) throw new ArgumentException($"dynamic_sampling: max_rounds must be ≥ 1, got {options.MaxRounds}.");
        Options = options;
    }

    public DynamicSamplingOptions Options { get; }
    public BatchInputs Needs => BatchInputs.None;
    public int MaxRounds => Options.MaxRounds;

    public Tensor KeepGroups(GroupedBatch batch, Tensor rewards)    // rewards: [B] final → [P] bool
    {
        Tensor source = Options.By == GroupVarianceSource.Outcome ? batch.OutcomeRewards : rewards;
        return HasSpread(source, batch.GroupSize);
    }

    /// <summary>True for groups whose values are not all equal.</summary>
    public static Tensor HasSpread(Tensor values, int groupSize)     // [B] → [P] bool
    {
        using var scope = NewDisposeScope();
        Tensor grouped = values.view(-1, groupSize);
        return (grouped.amax(1) > grouped.amin(1)).MoveToOuterDisposeScope();
    }
}
