// GSPO (Zheng et al. 2025): the sequence-level ratio s_i = exp(mean_t log r_{i,t}) clipped in place of token
// ratios. Written in its token form s_{i,t} = sg[s_i]·π_θ(y_t)/sg[π_θ(y_t)]: same value, same gradient as GSPO
// when the advantage is per sequence (a per-token advantage gets the token form's gradient). Defaults follow the
// GSPO paper: ε = 3e-4/4e-4, seq-mean-token-mean, no dual clip.
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Algorithms;

public sealed record GspoLossOptions : PolicyLossOptions
{
    public GspoLossOptions()
    {
        ClipLow = 3e-4;
        ClipHigh = 4e-4;
        DualClip = 0;
        Aggregation = LossAggregation.SeqMeanTokenMean;
    }
}

[AlgorithmComponent("gspo", typeof(GspoLossOptions), "Sequence-level ratio clipped surrogate (GSPO).")]
public sealed class GspoLoss : SurrogateLoss
{
    public GspoLoss(GspoLossOptions options, ComponentContext context) : base(options, context) => options.Validate("loss 'gspo'");

    public GspoLoss(GspoLossOptions options) : this(options, new ComponentContext()) { }

    protected override Tensor LogRatio(Tensor logProbs, Tensor oldLogProbs, Tensor mask)  // [B,T] → [B,T]
    {
        Tensor seqLogRatio = ((logProbs - oldLogProbs) * mask).sum(1, keepdim: true) / mask.sum(1, keepdim: true).clamp_min(1);
        return seqLogRatio.detach() + logProbs - logProbs.detach();
    }
}
