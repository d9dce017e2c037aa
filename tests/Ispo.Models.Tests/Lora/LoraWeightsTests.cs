using Ispo.Models.Lora;
using Ispo.Models.Sampling;
using Ispo.Models.Tests.Checkpoints;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Lora;

public class LoraWeightsTests
{
    [Fact]
    public void AdaptersSwappedInFromMemoryGiveExactlyWhatLoadingTheirFoldersGives()
    {
        using var scope = NewDisposeScope();
        using var first = new TempDir();
        using var second = new TempDir();
        using (CausalLM source = TinyModels.Create(TinyModels.Qwen2))
        {
            LoraAdapters adapters = LoraAdapters.Attach(source, LoraTesting.AllProjections, seed: 5);
            LoraTesting.RandomizeB(adapters, seed: 6);
            PeftAdapter.Save(adapters, first.Path, null);
            LoraTesting.RandomizeB(adapters, seed: 7);
            PeftAdapter.Save(adapters, second.Path, null);
        }
        using LoraWeights a = LoraWeights.Read(first.Path), b = LoraWeights.Read(second.Path);
        using CausalLM served = TinyModels.Create(TinyModels.Qwen2);
        LoraAdapters slot = LoraAdapters.Attach(served, a.Options, seed: 0);
        Tensor ids = TinyModels.RandomIds(served.Config, 2, 9, seed: 3);
        var options = new SamplingOptions { SamplesPerPrompt = 2, MaxNewTokens = 6, Seed = 11 };
        foreach ((LoraWeights weights, string dir) in new[] { (a, first.Path), (b, second.Path), (a, first.Path) })
        {
            weights.CopyInto(slot); // packed inference copies of the previous adapter are dropped
            using CausalLM loaded = TinyModels.Create(TinyModels.Qwen2);
            PeftAdapter.Load(loaded, dir);
            Assert.Equal(0f, TinyModels.MaxAbsDiff(LoraTesting.LogProbs(served, ids), LoraTesting.LogProbs(loaded, ids)));
            IReadOnlyList<int>[] prompts = [[1, 2, 3], [4, 5]];
            Assert.Equal(Sampler.Generate(loaded, prompts, options).Select(s => s.LogProbs), Sampler.Generate(served, prompts, options).Select(s => s.LogProbs));
        }
    }

    [Fact]
    public void AnAdapterOfAnotherShapeIsRefusedAndTheSlotKeepsItsWeights()
    {
        using var dir = new TempDir();
        using (CausalLM source = TinyModels.Create(TinyModels.Qwen2))
            PeftAdapter.Save(LoraAdapters.Attach(source, LoraTesting.AllProjections with { Rank = 2 }, seed: 5), dir.Path, null);
        using LoraWeights narrow = LoraWeights.Read(dir.Path);
        Assert.True(narrow.Options.SameShape(LoraTesting.AllProjections with { Rank = 2, Dropout = 0.1 })); // dropout does not matter
        using CausalLM served = TinyModels.Create(TinyModels.Qwen2);
        LoraAdapters slot = LoraAdapters.Attach(served, LoraTesting.AllProjections, seed: 0);
        LoraTesting.RandomizeB(slot, seed: 6);
        using Tensor before = slot.Named[0].Adapter.B.weight!.detach().clone();
        Assert.Contains("does not fit", Assert.Throws<ArgumentException>(() => narrow.CopyInto(slot)).Message);
        Assert.Equal(0f, (slot.Named[0].Adapter.B.weight!.detach() - before).abs().max().item<float>());
    }
}
