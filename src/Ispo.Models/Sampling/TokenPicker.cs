// One decoding step's choice: temperature, top-k, top-p (or greedy), plus log-prob and entropy of the choice.
using Ispo.Models.Scoring;
using static TorchSharp.torch;

namespace Ispo.Models.Sampling;

internal static class TokenPicker
{
    /// <summary>Picks one token per row from fp32 logits [N,V]; returns tokens [N] int64, their log-probs and
    /// the distribution entropies [N] float32 (at LogProbTemperature, before truncation).</summary>
    public static (Tensor Tokens, Tensor LogProbs, Tensor Entropies) Pick(Tensor logits, SamplingOptions o, Generator generator)
    {
        using var scope = NewDisposeScope();
        if (DrawsFromLogProbDistribution(o, logits.shape[^1]))
        {
            // One log_softmax serves the draw, the log-probs and the entropy: two fewer passes over [N,V].
            Tensor logp = Scaled(logits, o.LogProbTemperature).log_softmax(-1);
            Tensor probs = logp.exp();
            Tensor drawn = InverseCdf(probs, generator);
            Tensor chosen = logp.gather(-1, drawn.unsqueeze(-1)).squeeze(-1);
            Tensor entropy = probs.mul_(Finite(logp)).sum(-1).neg_();
            return (drawn.MoveToOuterDisposeScope(), chosen.MoveToOuterDisposeScope(), entropy.MoveToOuterDisposeScope());
        }
        Tensor tokens = o.IsGreedy ? logits.argmax(-1) : Draw(logits, o, generator);
        (Tensor logProbs, Tensor? entropies) = LogProbsAndEntropies(logits, tokens, o.LogProbTemperature);
        return (tokens.MoveToOuterDisposeScope(), logProbs.MoveToOuterDisposeScope(), entropies!.MoveToOuterDisposeScope());
    }

    /// <summary>Plain sampling at the log-prob temperature: no truncation, so both use one distribution.</summary>
    internal static bool DrawsFromLogProbDistribution(SamplingOptions o, long vocab) =>
        !o.IsGreedy && o.Temperature == o.LogProbTemperature && (o.TopK <= 0 || o.TopK >= vocab) && o.TopP >= 1;

    static Tensor Scaled(Tensor logits, double temperature) => temperature == 1 ? logits : logits / temperature;

    /// <summary>log_softmax(logits/τ) at the chosen tokens, and −Σ p log p of the same distribution (null when
    /// not wanted: it costs two more passes over [N,V] and, with gradients, their saved tensors). Log-probs alone go
    /// to <paramref name="kernels"/> first.</summary>
    public static (Tensor LogProbs, Tensor? Entropies) LogProbsAndEntropies(Tensor logits, Tensor tokens, double temperature,
        bool withEntropy = true, IKernels? kernels = null) // [N,V], [N]
    {
        if (!withEntropy && kernels?.TokenLogProbs(logits, tokens, temperature) is { } fused) return (fused, null);
        using var scope = NewDisposeScope();
        Tensor logp = Scaled(logits, temperature).log_softmax(-1);
        Tensor chosen = logp.gather(-1, tokens.unsqueeze(-1)).squeeze(-1);
        Tensor? entropy = withEntropy ? (logp.exp() * Finite(logp)).sum(-1).neg() : null;
        return (chosen.MoveToOuterDisposeScope(), entropy?.MoveToOuterDisposeScope());
    }

    /// <summary>A masked (−inf) token has p = 0 and contributes 0·log 0 = 0 to the entropy, not 0·(−inf) = NaN.</summary>
    static Tensor Finite(Tensor logp) => logp.clamp_min(float.MinValue);

    static Tensor Draw(Tensor logits, SamplingOptions o, Generator generator)
    {
        Tensor x = Scaled(logits, o.Temperature);
        if (o.TopK > 0 && o.TopK < x.shape[^1]) x = KeepTopK(x, o.TopK);
        if (o.TopP < 1) x = KeepTopP(x, o.TopP);
        return InverseCdf(x.softmax(-1), generator);
    }

    /// <summary>One draw per row by inverse-CDF: needs N uniforms where multinomial draws N·V exponentials.</summary>
    static Tensor InverseCdf(Tensor probs, Generator generator) // [N,V] -> [N] int64
    {
        long n = probs.shape[0], v = probs.shape[1];
        Tensor cdf = probs.cumsum(-1);
        Tensor u = rand(n, 1, dtype: ScalarType.Float32, device: probs.device, generator: generator) * cdf.narrow(-1, v - 1, 1);
        return searchsorted(cdf, u, right: true).squeeze(-1).clamp_max_(v - 1); // first index with cdf > u: never a zero-mass token
    }

    static Tensor KeepTopK(Tensor x, int k)
    {
        Tensor kth = x.topk(k).values.narrow(-1, k - 1, 1); // [N,1]
        return x.masked_fill(x.lt(kth), float.NegativeInfinity);
    }

    /// <summary>Keeps the smallest set of most likely tokens whose mass reaches p (always at least one).</summary>
    static Tensor KeepTopP(Tensor x, double p)
    {
        (Tensor sorted, Tensor order) = x.sort(-1, descending: true);
        Tensor probs = sorted.softmax(-1);
        Tensor massBefore = probs.cumsum(-1) - probs;
        Tensor kept = sorted.masked_fill(massBefore.gt(p), float.NegativeInfinity);
        return full_like(x, float.NegativeInfinity).scatter_(-1, order, kept);
    }
}
