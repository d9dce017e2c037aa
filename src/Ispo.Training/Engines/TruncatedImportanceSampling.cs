// Truncated importance sampling on the engine-vs-trainer gap (Yao et al. 2025, "Your efficient RL framework secretly
// brings you off-policy RL training"; verl's tis_imp_ratio_cap): each response token's policy-gradient term is weighted
// by w_t = min(π_trainer(y_t) / π_engine(y_t), C), a constant (no gradient). It is applied to the advantages, which
// the clipped surrogates are positively homogeneous in (loss(w·A) = w·loss(A) for w > 0), so every loss component
// gets it without knowing; KL and entropy terms, as in verl, are not reweighted.
using Ispo.Algorithms;
using Ispo.Training.Rollouts;
using static TorchSharp.torch;

namespace Ispo.Training.Engines;

public static class TruncatedImportanceSampling
{
    /// <summary>The advantages times the weights ([B,T]), and the weights' masked mean and the share of response
    /// tokens the cap truncated. Rows without engine log-probs (the local sampler) get weight 1.</summary>
    public static (Tensor Advantages, MetricsBag Metrics) Reweight(IReadOnlyList<Rollout> rows, Tensor responseMask, Tensor advantages, double cap)
    {
        long width = responseMask.shape[1];
        var ratio = new float[rows.Count * width];                  // log π_trainer − log π_engine
        for (int i = 0; i < rows.Count; i++)
            if (rows[i].EngineLogProbs is { } engine)
                for (int t = 0; t < rows[i].Length && t < width; t++) ratio[i * width + t] = rows[i].OldLogProbs[t] - engine[t];
        Tensor raw = tensor(ratio, [rows.Count, width], device: responseMask.device).exp();                                   // [B,T] float32
        Tensor weights = raw.clamp_max(cap) * responseMask;                                     // [B,T]
        Tensor perToken = advantages.dim() == 1 ? advantages.unsqueeze(1) : advantages;          // [B,1] or [B,T]
        double tokens = Math.Max(1, responseMask.sum().item<float>());
        var metrics = new MetricsBag();
        metrics.Set("rollout/is_weight_mean", weights.sum().item<float>() / tokens);
        metrics.Set("rollout/is_truncated_frac", ((raw > cap).to(ScalarType.Float32) * responseMask).sum().item<float>() / tokens);
        return (perToken * weights, metrics);
    }
}
