// How centred rewards are scaled: by the group's sample std (GRPO), by the batch's (TRL scale_rewards="batch"),
// or not at all (Dr. GRPO). Group math runs in float64 so a group of equal rewards centres to exactly 0.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public enum AdvantageScaling { Group, Batch, None }

static class GroupMath
{
    /// <summary>Rewards as [P,G] float64.</summary>
    public static Tensor Grouped(Tensor rewards, int groupSize) => rewards.to(ScalarType.Float64).view(-1, groupSize);

    /// <summary>Sample standard deviation (divisor n − 1) along <paramref name="dim"/>; 0 where n &lt; 2.</summary>
    public static Tensor SampleStd(Tensor x, long dim, bool keepdim)
    {
        if (x.shape[dim] < 2) return keepdim ? zeros_like(x.narrow(dim, 0, 1)) : zeros_like(x.select(dim, 0));
        return x.std(dim, unbiased: true, keepdim: keepdim);
    }

    /// <summary>Scales centred rewards and returns [B] in <paramref name="dtype"/>; <paramref name="rewards"/> are the raw [P,G] float64.</summary>
    public static Tensor Scale(Tensor centred, Tensor rewards, AdvantageScaling scaling, double epsilon, ScalarType dtype)
    {
        Tensor scaled = scaling switch
        {
            AdvantageScaling.Group => centred / (SampleStd(rewards, 1, keepdim: true) + epsilon),
            AdvantageScaling.Batch => centred / (SampleStd(rewards.view(-1), 0, keepdim: false) + epsilon),
            _ => centred,
        };
        return scaled.view(-1).to(dtype);
    }
}
