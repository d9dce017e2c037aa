// GRPO's group-relative advantage: Â_i = (R_i − mean_G R) / (std_G R + ε), std with divisor G − 1 (ISPO.md §1).
// A group of one rollout gets 0 (its reward equals its mean). Scale = Batch divides by the batch's std instead.
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public record GrpoOptions : AdvantageOptions;

[AlgorithmComponent("grpo", typeof(GrpoOptions), "Group mean baseline, scaled by the group's sample std + ε (GRPO).")]
public sealed class GrpoAdvantage(GrpoOptions options) : GroupAdvantage(options)
{
    protected override Tensor Centre(Tensor grouped, int groupSize) => grouped - grouped.mean([1], keepdim: true);
}
