using Ispo.Models.Scoring;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Scoring;

public class ScorerTests
{
    [Fact]
    public void MatchesLogSoftmaxGatherAndNaiveEntropy()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(TinyModels.Qwen2);
        Tensor ids = TinyModels.RandomIds(model.Config, 3, 9, seed: 11);
        Tensor response = ones(3, 9).index_fill_(1, tensor(new long[] { 0, 1, 2 }), 0);
        using var scores = Scorer.Score(model, ids, null, response);

        Tensor logits = model.Forward(ids).to(ScalarType.Float32); // [3,9,V]
        Tensor logp = logits.log_softmax(-1);
        for (int b = 0; b < 3; b++)
            for (int t = 0; t < 9; t++)
            {
                double expectedLp = t < 3 ? 0 : logp[b, t - 1, ids[b, t].item<long>()].item<float>();
                double[] p = logits[b, t - 1 < 0 ? 0 : t - 1].softmax(-1).data<float>().ToArray().Select(x => (double)x).ToArray();
                double expectedEntropy = t < 3 ? 0 : -p.Sum(x => x * Math.Log(x));
                Assert.Equal(expectedLp, scores.LogProbs[b, t].item<float>(), 4);
                Assert.Equal(expectedEntropy, scores.Entropies![b, t].item<float>(), 4);
            }
    }

    [Fact]
    public void ChunkedEqualsUnchunkedWithLeftPadding()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(TinyModels.Llama);
        Tensor ids = TinyModels.RandomIds(model.Config, 2, 8, seed: 12);
        Tensor mask = tensor(new long[] { 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1 }, [2, 8]);
        Tensor response = tensor(new float[] { 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1 }, [2, 8]);
        using var whole = Scorer.Score(model, ids, mask, response, new ScoreOptions { ChunkSize = 1000 });
        using var chunked = Scorer.Score(model, ids, mask, response, new ScoreOptions { ChunkSize = 3 });
        Assert.True(TinyModels.MaxAbsDiff(whole.LogProbs, chunked.LogProbs) <= 1e-6);
        Assert.True(TinyModels.MaxAbsDiff(whole.Entropies!, chunked.Entropies!) <= 1e-6);
        Assert.Equal(0f, (whole.LogProbs * (1 - response)).abs().sum().item<float>());
        Assert.True(whole.LogProbs[0, 5].item<float>() < 0);
    }

    [Fact]
    public void WithGradCarriesGradientsWithoutItDoesNot()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(TinyModels.Qwen2);
        Tensor ids = TinyModels.RandomIds(model.Config, 2, 6, seed: 13);
        Tensor response = ones(2, 6);
        using var frozen = Scorer.Score(model, ids, null, response);
        Assert.False(frozen.LogProbs.requires_grad);
        using var live = Scorer.Score(model, ids, null, response, new ScoreOptions { ChunkSize = 4 }, withGrad: true);
        live.LogProbs.sum().backward();
        Assert.True(model.model.embed_tokens.weight!.grad!.abs().sum().item<float>() > 0);
    }

    [Fact]
    public void TemperatureScalesTheDistribution()
    {
        using var scope = NewDisposeScope();
        using var model = TinyModels.Create(TinyModels.Llama);
        Tensor ids = TinyModels.RandomIds(model.Config, 1, 5, seed: 14);
        using var scores = Scorer.Score(model, ids, null, ones(1, 5), new ScoreOptions { Temperature = 2 });
        Tensor expected = (model.Forward(ids)[0, 3] / 2).log_softmax(-1)[ids[0, 4].item<long>()];
        Assert.Equal(expected.item<float>(), scores.LogProbs[0, 4].item<float>(), 5);
    }
}
