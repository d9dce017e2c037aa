// PPO/GRPO token-level clipped surrogate, r_t = π_θ(y_t)/π_θold(y_t) (ISPO.md §1; clip-higher from DAPO,
// dual-clip from Ye et al. 2020 as verl's clip_ratio_c).
using static TorchSharp.torch;

namespace Ispo.Algorithms;

[AlgorithmComponent("clipped", typeof(PolicyLossOptions), "Token-level clipped surrogate with clip-higher and dual-clip (PPO/GRPO/DAPO).")]
public sealed class ClippedSurrogateLoss : SurrogateLoss
{
    public ClippedSurrogateLoss(PolicyLossOptions options, ComponentContext context) : base(options, context) => options.Validate("loss 'clipped'");

    public ClippedSurrogateLoss(PolicyLossOptions options) : this(options, new ComponentContext()) { }

    protected override Tensor LogRatio(Tensor logProbs, Tensor oldLogProbs, Tensor mask) => logProbs - oldLogProbs;
}
