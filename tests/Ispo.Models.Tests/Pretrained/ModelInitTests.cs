using Ispo.Models.Pretrained;
using Ispo.Models.Sampling;
using Ispo.Models.Tests.Checkpoints;
using Ispo.Models.Tokenization;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Pretrained;

public class ModelInitTests
{
    [Fact]
    public void InitWritesHfLayoutThatLoadsBackIdentically()
    {
        using var dir = new TempDir();
        var config = ModelInit.Preset("tiny");
        ModelInit.Create(config, dir.Path, seed: 5);
        foreach (string file in new[] { "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "generation_config.json" })
            Assert.True(File.Exists(dir.File(file)), file);

        using var policy = LoadedModel.LoadPretrained(dir.Path);
        Assert.Equal(config, policy.Config with { EosTokenIds = config.EosTokenIds });
        Assert.Equal(config.EosTokenIds, policy.Config.EosTokenIds);
        Assert.Equal(CharTokenizer.VocabSize, policy.Tokenizer.VocabSize);
        Assert.Contains(policy.Tokenizer.EosId!.Value, policy.EosTokenIds);
        Assert.Equal(config.ParameterCount(), policy.Model.ParameterCount());

        using var fresh = new CausalLM(config);
        fresh.InitWeights(5);
        using var scope = NewDisposeScope();
        Tensor ids = tensor(policy.Tokenizer.Encode("12+7=").Select(x => (long)x).ToArray()).unsqueeze(0);
        Assert.Equal(0f, TinyModels.MaxAbsDiff(fresh.Forward(ids), policy.Model.Forward(ids)));
    }

    [Fact]
    public void SmallPresetHasTheBenchmarkDims()
    {
        var c = ModelInit.Preset("small");
        Assert.Equal((320, 6, 5, 864), (c.HiddenSize, c.NumHiddenLayers, c.NumAttentionHeads, c.IntermediateSize));
        Assert.InRange(c.ParameterCount(), 7_000_000, 11_000_000);
        Assert.Throws<ArgumentException>(() => ModelInit.Preset("huge"));
    }

    [Fact]
    public void ParameterCountFromConfigMatchesTheModel()
    {
        foreach (var config in new[] { TinyModels.Qwen2, TinyModels.Llama })
        {
            using var model = new CausalLM(config);
            Assert.Equal(model.ParameterCount(), config.ParameterCount());
        }
    }

    [Fact]
    public void LoadedModelSamplesText()
    {
        using var dir = new TempDir();
        ModelInit.Create(ModelInit.Preset("tiny"), dir.Path, seed: 2);
        using var policy = LoadedModel.LoadPretrained(dir.Path);
        var sample = Sampler.Generate(policy.Model, [policy.Tokenizer.Encode("hello")],
            new SamplingOptions { MaxNewTokens = 5, EosTokenIds = policy.EosTokenIds, Seed = 1 })[0];
        Assert.InRange(sample.TokenIds.Length, 1, 5);
        Assert.All(sample.TokenIds, id => Assert.InRange(id, 0, CharTokenizer.VocabSize - 1));
    }
}
