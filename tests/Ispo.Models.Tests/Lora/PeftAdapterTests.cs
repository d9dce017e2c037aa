using System.Text.Json;
using Ispo.Models.Checkpoints;
using Ispo.Models.Lora;
using Ispo.Models.Tests.Checkpoints;
using static TorchSharp.torch;

namespace Ispo.Models.Tests.Lora;

public class PeftAdapterTests
{
    [Theory]
    [MemberData(nameof(TinyModels.Both), MemberType = typeof(TinyModels))]
    public void RoundTripsThroughPeftsLayout(string name)
    {
        using var scope = NewDisposeScope();
        using var dir = new TempDir();
        using CausalLM model = TinyModels.Create(name);
        LoraAdapters adapters = LoraAdapters.Attach(model, LoraTesting.AllProjections with { Dropout = 0.1 }, seed: 5);
        LoraTesting.RandomizeB(adapters, seed: 6);
        PeftAdapter.Save(adapters, dir.Path, "some/base");

        using CausalLM loaded = TinyModels.Create(name);
        PeftAdapter.Load(loaded, dir.Path);
        Tensor ids = TinyModels.RandomIds(model.Config, 2, 9, seed: 3);
        Assert.Equal(0f, TinyModels.MaxAbsDiff(LoraTesting.LogProbs(model, ids), LoraTesting.LogProbs(loaded, ids)));
        Assert.Equal(adapters.Options with { TargetModules = [] }, loaded.Lora!.Options with { TargetModules = [] });
        Assert.Equal(adapters.Options.TargetModules, loaded.Lora.Options.TargetModules);
    }

    [Fact]
    public void WritesPeftsKeyNamesShapesAndConfigFields()
    {
        using var dir = new TempDir();
        using CausalLM model = TinyModels.Create(TinyModels.Qwen2);
        LoraAdapters.Attach(model, new LoraOptions { Rank = 2, Alpha = 16, TargetModules = ["q_proj", "up_proj"] }, seed: 1);
        PeftAdapter.Save(model.Lora!, dir.Path, "Qwen/Qwen2.5-Math-1.5B");
        using var file = SafetensorsFile.Open(dir.File(PeftAdapter.WeightsFile));
        var c = TinyModels.Qwen2;
        var expected = new Dictionary<string, long[]>();
        for (int i = 0; i < c.NumHiddenLayers; i++)
        {
            expected[$"base_model.model.model.layers.{i}.self_attn.q_proj.lora_A.weight"] = [2, c.HiddenSize];
            expected[$"base_model.model.model.layers.{i}.self_attn.q_proj.lora_B.weight"] = [c.NumAttentionHeads * c.HeadDim, 2];
            expected[$"base_model.model.model.layers.{i}.mlp.up_proj.lora_A.weight"] = [2, c.HiddenSize];
            expected[$"base_model.model.model.layers.{i}.mlp.up_proj.lora_B.weight"] = [c.IntermediateSize, 2];
        }
        Assert.Equal(expected.Keys.Order(), file.Entries.Keys.Order());
        foreach (var (key, shape) in expected) Assert.Equal(shape, file.Entries[key].Shape);

        using var json = JsonDocument.Parse(File.ReadAllText(dir.File(PeftAdapter.ConfigFile)));
        JsonElement root = json.RootElement;
        Assert.Equal("LORA", root.GetProperty("peft_type").GetString());
        Assert.Equal(2, root.GetProperty("r").GetInt32());
        Assert.Equal(16, root.GetProperty("lora_alpha").GetInt32());
        Assert.Equal(0.0, root.GetProperty("lora_dropout").GetDouble());
        Assert.Equal(["q_proj", "up_proj"], root.GetProperty("target_modules").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("none", root.GetProperty("bias").GetString());
        Assert.Equal("CAUSAL_LM", root.GetProperty("task_type").GetString());
        Assert.Equal("Qwen/Qwen2.5-Math-1.5B", root.GetProperty("base_model_name_or_path").GetString());
        Assert.False(root.GetProperty("use_rslora").GetBoolean());
    }

    // An adapter written by a Python script in PEFT's layout (Fixtures/README.md), on the independent Qwen2 reference.
    static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, .. parts]);

    [Fact]
    public void LoadsAnAdapterWrittenByOthersToTheirLogProbs()
    {
        using var scope = NewDisposeScope();
        string reference = Fixture("Pretrained", "Fixtures", "reference", "qwen2"), adapter = Fixture("Lora", "Fixtures", "peft-qwen2");
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(adapter, "expected.json")));
        long[] ids = json.RootElement.GetProperty("token_ids").EnumerateArray().Select(x => x.GetInt64()).ToArray();
        double[] expected = json.RootElement.GetProperty("logprobs_fp32").EnumerateArray().Select(x => x.GetDouble()).ToArray();
        Tensor input = tensor(ids).unsqueeze(0); // [1,T]

        using CausalLM model = Load(reference);
        PeftAdapter.Load(model, adapter);
        Assert.Equal(0.05, model.Lora!.Options.Dropout);
        Assert.Equal(1.5, model.Lora.Options.Scale);
        double[] actual = LoraTesting.LogProbs(model, input)[0].to(ScalarType.Float64).data<double>().ToArray()[1..];
        Assert.True(actual.Zip(expected).Max(p => Math.Abs(p.First - p.Second)) < 1e-5);

        using CausalLM merged = Load(reference); // `ispo lora merge`'s path
        PeftAdapter.MergeInto(merged, adapter);
        double[] fromMerged = LoraTesting.LogProbs(merged, input)[0].to(ScalarType.Float64).data<double>().ToArray()[1..];
        Assert.True(fromMerged.Zip(expected).Max(p => Math.Abs(p.First - p.Second)) < 1e-5);
    }

    static CausalLM Load(string dir)
    {
        var model = new CausalLM(Ispo.Models.Config.ModelConfig.Load(Path.Combine(dir, "config.json")));
        ModuleCheckpoint.LoadInto(model, dir);
        model.eval();
        return model;
    }

    [Theory]
    [InlineData("\"use_dora\": true", "use_dora")]
    [InlineData("\"rank_pattern\": {\"q_proj\": 8}", "rank_pattern")]
    [InlineData("\"bias\": \"all\"", "bias")]
    [InlineData("\"target_modules\": \".*proj\"", "target_modules")]
    public void RefusesWhatItCannotRunExactly(string field, string named)
    {
        using var dir = new TempDir();
        string targets = field.Contains("target_modules") ? "" : "\"target_modules\": [\"q_proj\"], ";
        File.WriteAllText(dir.File(PeftAdapter.ConfigFile), $"{{\"peft_type\": \"LORA\", \"r\": 4, \"lora_alpha\": 8, {targets}{field}}}");
        var error = Assert.Throws<InvalidDataException>(() => PeftAdapter.ReadConfig(dir.Path));
        Assert.Contains(named, error.Message);
    }
}
