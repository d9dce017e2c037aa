using Ispo.Models;
using Ispo.Models.Lora;
using Ispo.Models.Pretrained;
using Ispo.Models.Scoring;
using static TorchSharp.torch;

namespace Ispo.Cli.Tests.Commands;

public class LoraCommandTests
{
    [Fact]
    public void MergeWritesAModelThatScoresAsTheBaseWithItsAdapter()
    {
        string model = CliRun.TinyModel(), adapter = CliRun.NewDir(), merged = CliRun.NewDir();
        using (LoadedModel policy = LoadedModel.LoadPretrained(model))
        {
            LoraAdapters adapters = LoraAdapters.Attach(policy.Model, new LoraOptions { Rank = 2, Alpha = 3, TargetModules = ["q_proj", "o_proj", "up_proj"] }, seed: 1);
            using (no_grad())
                foreach ((_, LoraAdapter a) in adapters.Named) a.B.weight!.normal_(0, 0.5, new TorchSharp.torch.Generator(2));
            PeftAdapter.Save(adapters, adapter, Path.GetFullPath(model));
        }

        var (code, output, err) = CliRun.Run("lora", "merge", "--model", model, "--adapter", adapter, "--out", merged);
        Assert.True(code == 0, err);
        Assert.Contains("rank 2, scale 1.5, q_proj/o_proj/up_proj", output);
        Assert.False(PeftAdapter.IsAdapter(merged));

        using LoadedModel fromMerged = LoadedModel.LoadPretrained(merged), fromAdapter = LoadedModel.LoadPretrained(adapter), plain = LoadedModel.LoadPretrained(model);
        Assert.NotNull(fromAdapter.Model.Lora); // an adapter folder loads over its base_model_name_or_path
        using var scope = NewDisposeScope();
        Tensor ids = tensor(fromAdapter.Tokenizer.Encode("12+30=42").Select(i => (long)i).ToArray()).unsqueeze(0);
        Tensor merge = LogProbs(fromMerged.Model, ids), adapted = LogProbs(fromAdapter.Model, ids), base_ = LogProbs(plain.Model, ids);
        Assert.True((merge - adapted).abs().max().item<float>() < 1e-5);
        Assert.True((merge - base_).abs().max().item<float>() > 1e-3);

        (code, _, err) = CliRun.Run("lora", "merge", "--model", model, "--adapter", adapter, "--out", adapter);
        Assert.Equal(1, code);
        Assert.Contains("is a model this command reads from", err);
        Assert.True(PeftAdapter.IsAdapter(adapter)); // untouched
    }

    static Tensor LogProbs(CausalLM model, Tensor ids)
    {
        using var scores = Scorer.Score(model, ids, null, ones_like(ids, ScalarType.Float32));
        return scores.LogProbs.clone();
    }
}
