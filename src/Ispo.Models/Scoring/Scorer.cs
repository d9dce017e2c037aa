// Per-token log-probs (and entropies) of given sequences at response positions, chunked over tokens so the
// full [B,T,V] logits never exist at once.
using Ispo.Models.Runtime;
using Ispo.Models.Sampling;
using static TorchSharp.torch;

namespace Ispo.Models.Scoring;

/// <summary>[B,T] float32, aligned with the input ids (entry t scores token t given tokens before it);
/// 0 outside the response mask and at t = 0.</summary>
public sealed record TokenScores(Tensor LogProbs, Tensor? Entropies) : IDisposable
{
    public void Dispose()
    {
        LogProbs.Dispose();
        Entropies?.Dispose();
    }
}

public static class Scorer
{
    /// <summary>Scores <paramref name="inputIds"/> [B,T] int64 (left-padded, <paramref name="attentionMask"/> [B,T])
    /// at positions where <paramref name="responseMask"/> [B,T] is non-zero. With <paramref name="withGrad"/> the
    /// results carry gradients to the model (policy loss); without, every chunk is freed as it is done.</summary>
    public static TokenScores Score(CausalLM model, Tensor inputIds, Tensor? attentionMask, Tensor responseMask,
        ScoreOptions? options = null, bool withGrad = false)
    {
        options ??= new ScoreOptions();
        DeviceGuard.Expect(model.Device, "Scorer.Score", ("inputIds", inputIds), ("attentionMask", attentionMask), ("responseMask", responseMask));
        using var gradMode = set_grad_enabled(withGrad);
        using var scope = NewDisposeScope();
        long b = inputIds.shape[0], t = inputIds.shape[1];
        Tensor hidden = model.Hidden(inputIds, attentionMask); // [B,T,hidden]
        Tensor scored = responseMask.narrow(1, 1, t - 1).reshape(-1).to(ScalarType.Bool).nonzero().squeeze(1); // [N] into B·(T−1)
        Tensor sources = hidden.narrow(1, 0, t - 1).reshape(-1, hidden.shape[^1]).index_select(0, scored); // [N,hidden]
        Tensor targets = inputIds.narrow(1, 1, t - 1).reshape(-1).index_select(0, scored); // [N]
        var logProbs = new List<Tensor>();
        var entropies = new List<Tensor>(); // stays empty without ComputeEntropy
        for (long start = 0; start < sources.shape[0]; start += options.ChunkSize)
        {
            long n = Math.Min(options.ChunkSize, sources.shape[0] - start);
            (Tensor lp, Tensor? ent) = ScoreChunk(model, sources.narrow(0, start, n), targets.narrow(0, start, n), options);
            logProbs.Add(lp);
            if (ent is not null) entropies.Add(ent);
        }
        Tensor logProbGrid = Scatter(logProbs, scored, b, t);
        Tensor? entropyGrid = options.ComputeEntropy ? Scatter(entropies, scored, b, t) : null;
        return new TokenScores(logProbGrid.MoveToOuterDisposeScope(), entropyGrid?.MoveToOuterDisposeScope());
    }

    static (Tensor LogProbs, Tensor? Entropies) ScoreChunk(CausalLM model, Tensor hidden, Tensor targets, ScoreOptions o) // [n,hidden], [n]
    {
        using var scope = NewDisposeScope();
        Tensor logits = model.Logits(hidden).to(ScalarType.Float32); // [n,V]
        (Tensor lp, Tensor? ent) = TokenPicker.LogProbsAndEntropies(logits, targets, o.Temperature, o.ComputeEntropy, model.Kernels.Backend);
        return (lp.MoveToOuterDisposeScope(), ent?.MoveToOuterDisposeScope());
    }

    /// <summary>Places per-token values back on the [B,T] grid (shifted by one: target t ← position t−1).</summary>
    static Tensor Scatter(List<Tensor> chunks, Tensor scored, long b, long t)
    {
        Tensor values = chunks.Count == 0 ? zeros(0, ScalarType.Float32, scored.device) : cat(chunks, 0); // [N]
        Tensor grid = zeros(b * (t - 1), ScalarType.Float32, scored.device).index_copy(0, scored, values);
        return nn.functional.pad(grid.view(b, t - 1), [1, 0]);
    }
}
