using Ispo.Models.Lora;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Lora;

public class LoraAdaptersTests
{
    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void NewAdaptersLeaveTheLogProbsExactlyAsTheBaseModels(string name)
    {
        using var scope = NewDisposeScope();
        using CausalLM model = TinyModels.Create(name);
        Tensor ids = TinyModels.RandomIds(model.Config, 2, 9, seed: 3);
        Tensor before = LoraTesting.LogProbs(model, ids), packedBefore;
        using (model.PackForInference()) packedBefore = LoraTesting.LogProbs(model, ids);
        LoraAdapters.Attach(model, LoraTesting.AllProjections, seed: 5);
        Assert.Equal(0f, TinyModels.MaxAbsDiff(before, LoraTesting.LogProbs(model, ids)));
        using (model.PackForInference()) Assert.Equal(0f, TinyModels.MaxAbsDiff(packedBefore, LoraTesting.LogProbs(model, ids)));
    }

    [Fact]
    public void FreezesTheBaseAndAddsAdaptersUnderTheProjectionsTheyAdapt()
    {
        using CausalLM model = TinyModels.Create(TinyModels.Qwen2);
        long baseCount = model.ParameterCount();
        LoraAdapters adapters = LoraAdapters.Attach(model, new LoraOptions { Rank = 2, Alpha = 4, TargetModules = ["q_proj", "down_proj"] }, seed: 1);
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name).ToArray();
        Assert.Equal(
        [
            "model.layers.0.self_attn.q_proj.lora_A.weight", "model.layers.0.self_attn.q_proj.lora_B.weight",
            "model.layers.0.mlp.down_proj.lora_A.weight", "model.layers.0.mlp.down_proj.lora_B.weight",
            "model.layers.1.self_attn.q_proj.lora_A.weight", "model.layers.1.self_attn.q_proj.lora_B.weight",
            "model.layers.1.mlp.down_proj.lora_A.weight", "model.layers.1.mlp.down_proj.lora_B.weight",
        ], trainable);
        var c = TinyModels.Qwen2;
        long perLayer = 2 * (c.HiddenSize + c.NumAttentionHeads * c.HeadDim) + 2 * (c.IntermediateSize + c.HiddenSize);
        Assert.Equal(c.NumHiddenLayers * perLayer, adapters.ParameterCount());
        Assert.Equal(baseCount + adapters.ParameterCount(), model.ParameterCount());
        Assert.Equal(2.0, adapters.Options.Scale);
    }

    [Theory]
    [InlineData(CpuKernels.Auto)]
    [InlineData(CpuKernels.Off)]
    public void OnlyAdapterParametersGetGradients(CpuKernels kernels)
    {
        using var scope = NewDisposeScope();
        using CausalLM model = TinyModels.Create(TinyModels.Llama, kernels: kernels);
        LoraAdapters adapters = LoraAdapters.Attach(model, LoraTesting.AllProjections, seed: 2);
        LoraTesting.RandomizeB(adapters, seed: 4);
        Tensor ids = TinyModels.RandomIds(model.Config, 2, 7, seed: 1);
        model.train();
        model.Forward(ids).to(ScalarType.Float32).log_softmax(-1).mean().backward();
        var adapterParameters = adapters.Parameters().ToHashSet(ReferenceEqualityComparer.Instance);
        foreach ((string name, var p) in model.named_parameters())
        {
            bool isAdapter = adapterParameters.Contains(p);
            Assert.True(isAdapter == p.requires_grad, name);
            Assert.True(isAdapter == p.grad is not null, name);
            if (isAdapter) Assert.True(p.grad!.abs().sum().item<float>() > 0, name);
        }
    }

    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void TheBaseViewIsTheModelBeforeItsAdapters(string name)
    {
        using var scope = NewDisposeScope();
        using CausalLM model = TinyModels.Create(name);
        Tensor ids = TinyModels.RandomIds(model.Config, 2, 9, seed: 3);
        Tensor before = LoraTesting.LogProbs(model, ids);
        LoraTesting.RandomizeB(LoraAdapters.Attach(model, LoraTesting.AllProjections, seed: 5), seed: 6);
        using CausalLM baseView = model.WithoutAdapters();
        Tensor adapted = LoraTesting.LogProbs(model, ids);
        Assert.True(TinyModels.MaxAbsDiff(before, adapted) > 1e-2);
        Assert.Equal(0f, TinyModels.MaxAbsDiff(before, LoraTesting.LogProbs(baseView, ids)));
        Assert.Empty(baseView.parameters());

        // packed copies: the policy's fold the adapters in, the view's do not, and both can be live at once
        using (model.PackForInference())
        using (baseView.PackForInference())
        {
            Assert.True(TinyModels.MaxAbsDiff(adapted, LoraTesting.LogProbs(model, ids)) < 1e-5);
            Assert.True(TinyModels.MaxAbsDiff(before, LoraTesting.LogProbs(baseView, ids)) < 1e-5);
        }
        baseView.Dispose();
        Assert.Equal(0f, TinyModels.MaxAbsDiff(adapted, LoraTesting.LogProbs(model, ids))); // the view freed nothing of the model's
    }

    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void MergedWeightsGiveTheAdaptedModel(string name)
    {
        using var scope = NewDisposeScope();
        using CausalLM model = TinyModels.Create(name);
        LoraAdapters adapters = LoraAdapters.Attach(model, LoraTesting.AllProjections with { UseRslora = true }, seed: 5);
        LoraTesting.RandomizeB(adapters, seed: 6);
        Tensor ids = TinyModels.RandomIds(model.Config, 2, 9, seed: 3);
        using CausalLM merged = TinyModels.Create(name);
        adapters.MergeInto(merged);
        Assert.True(TinyModels.MaxAbsDiff(LoraTesting.LogProbs(model, ids), LoraTesting.LogProbs(merged, ids)) < 1e-5);
    }

    [Fact]
    public void BadOptionsAreNamed()
    {
        var bad = new LoraOptions { Rank = 0, Alpha = -1, Dropout = 1, TargetModules = ["lm_head"] };
        Assert.Equal(["rank", "alpha", "dropout", "target_modules"], bad.Problems().Select(p => p.Field));
        Assert.Throws<ArgumentException>(() => bad.Validated());
    }
}
