using Ispo.Algorithms;
using Ispo.Training.Configuration;

namespace Ispo.Training.Tests.Configuration;

public class TrainConfigTests
{
    public static TheoryData<string> Recipes()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(RepoPaths.Configs, "*.yaml").Order()) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Recipes))]
    public void EveryRecipeLoadsValidatesAndRoundTrips(string file)
    {
        var config = TrainConfig.Load(Path.Combine(RepoPaths.Configs, file));
        Assert.Equal(Path.GetFileNameWithoutExtension(file), config.Run.Name);
        Assert.Equal(config.ToYaml(), ConfigBinder.Bind<TrainConfig>(config.ToYaml()).ToYaml());
    }

    [Fact]
    public void AllExpectedRecipesExist()
    {
        string[] expected = ["grpo", "dr-grpo", "dapo", "ispo", "ispo-ifd-only", "ispo-token-only", "ispo-entropy-only",
            "ispo-drift-only", "ispo-union", "ispo-symmetric", "ispo-no-hinge", "study", "qwen2.5-math-1.5b-ispo", "qwen2.5-math-7b-ispo-lora"];
        foreach (string name in expected)
            Assert.True(File.Exists(Path.Combine(RepoPaths.Configs, name + ".yaml")), name);
    }

    [Fact]
    public void AblationsDifferFromIspoInExactlyTheirKnob()
    {
        IspoOptions full = Ispo(Load("ispo"));
        Assert.Equal(full with { Lambda2 = 0 }, Ispo(Load("ispo-ifd-only")));
        Assert.Equal(full with { Lambda1 = 0 }, Ispo(Load("ispo-token-only")));
        Assert.Equal(full with { CriticalSet = CriticalSet.Entropy }, Ispo(Load("ispo-entropy-only")));
        Assert.Equal(full with { CriticalSet = CriticalSet.Drift }, Ispo(Load("ispo-drift-only")));
        Assert.Equal(full with { CriticalSet = CriticalSet.Union }, Ispo(Load("ispo-union")));
        Assert.Equal(full with { Symmetric = true }, Ispo(Load("ispo-symmetric")));
        Assert.Equal(full with { Beta = 0 }, Ispo(Load("ispo-no-hinge")));
        foreach (string name in new[] { "ispo-ifd-only", "ispo-token-only", "ispo-entropy-only", "ispo-no-hinge" })
            Assert.Equal(Load("ispo").Algorithm with { Shapers = [] }, Load(name).Algorithm with { Shapers = [] });
    }

    [Fact]
    public void PaperRecipeHasThePaperSettings()
    {
        var c = Load("qwen2.5-math-1.5b-ispo");
        Assert.Equal((8, 1.0, 3072), (c.Rollout.GroupSize, c.Rollout.Temperature, c.Rollout.MaxNewTokens));
        Assert.Equal(1e-6, c.Optim.Lr);
        var loss = Assert.IsType<PolicyLossOptions>(c.Algorithm.Loss.Options);
        Assert.Equal((0.2, 0.28, 3.0, 0.0), (loss.ClipLow, loss.ClipHigh, loss.DualClip, loss.KlCoef));
        Assert.Equal(new IspoOptions(), Ispo(c));  // the paper's defaults are the record's
    }

    [Fact]
    public void TheGpuRecipesRunMixedPrecisionCheckpointedPackedAndChunked()
    {
        TrainConfig full = Load("qwen2.5-math-1.5b-ispo"), lora = Load("qwen2.5-math-7b-ispo-lora");
        foreach (TrainConfig c in new[] { full, lora })
        {
            Assert.Equal((ModelDtype.Bfloat16, true, true), (c.Model.Dtype, c.Model.MixedPrecision, c.Model.GradientCheckpointing));
            Assert.NotNull(c.Optim.MicroBatchTokens);
            Assert.NotNull(c.Rollout.KvCacheBudget);
        }
        Assert.Null(full.Model.Lora);
        Assert.Equal((16, 32.0), (lora.Model.Lora!.Rank, lora.Model.Lora.Alpha));
        Assert.Equal(global::Ispo.Models.Lora.LoraOptions.Projections, lora.Model.Lora.TargetModules);
        Assert.Null(lora.Model.BasePath);   // π_θ0 is the model with its adapters off
        // the same step and algorithm as the 1.5B recipe, but for the model, LoRA, its rate and the scoring passes' rows
        Assert.Equal(ConfigYaml.Serialize(full.Algorithm), ConfigYaml.Serialize(lora.Algorithm));
        Assert.Equal(ConfigYaml.Serialize(full.Rollout), ConfigYaml.Serialize(lora.Rollout));
        Assert.Equal(ConfigYaml.Serialize(full.Data), ConfigYaml.Serialize(lora.Data));
    }

    static IspoOptions Ispo(TrainConfig c) => Assert.IsType<IspoOptions>(Assert.Single(c.Algorithm.Shapers).Options);

    [Fact]
    public void SyntheticOnlySftSettingsAreRefusedWithADataset()
    {
        var e = Assert.Throws<ConfigException>(() => TrainConfig.Load(null,
            ["data.task=dataset", "data.dataset=math8k", "sft.corpus=pretraining", "sft.tiers=[1, 2]"]));
        Assert.Contains("sft.corpus", e.Message);
        Assert.Contains("sft.tiers", e.Message);
        Assert.Equal(SftCorpus.Pretraining, TrainConfig.Load(null, ["sft.corpus=pretraining", "sft.tiers=[1, 2]"]).Sft.Corpus);
    }

    [Fact]
    public void BadConfigGivesAllItsErrors()
    {
        var e = Assert.Throws<ConfigException>(() => TrainConfig.Load(null,
            ["algorithm.loss.clip_high=abc", "rollout.top_p=0", "optim.epochs=0", "data.tiers=[0, 6]", "model.preset=null", "run.color=red"]));
        string all = string.Join("\n", e.Errors);
        Assert.Contains("algorithm.loss.clip_high: expected a number, got \"abc\" (--set)", all);
        Assert.Contains("run.color: unknown key", all);
        Assert.Equal(["algorithm.loss.clip_high", "data.tiers", "model.path", "optim.epochs", "rollout.top_p", "run.color"],
            e.Errors.Select(x => x.Path).Order().ToArray());
    }

    [Fact]
    public void TheRolloutEngineIsCheckedWithItsEndpoints()
    {
        var e = Assert.Throws<ConfigException>(() => TrainConfig.Load(null,
            ["rollout.engine=openai", "rollout.max_concurrency=0", "rollout.endpoints=[\"ftp://x\"]"]));
        Assert.Equal(["rollout.endpoints", "rollout.max_concurrency"], e.Errors.Select(x => x.Path).Order().ToArray());
        Assert.Contains("engine: openai needs at least one endpoint", string.Join("\n",
            Assert.Throws<ConfigException>(() => TrainConfig.Load(null, ["rollout.engine=openai"])).Errors));
        Assert.Equal("rollout.weight_sync", Assert.Single(Assert.Throws<ConfigException>(() => TrainConfig.Load(null, ["rollout.weight_sync=disk"])).Errors).Path);
        RolloutConfig ok = TrainConfig.Load(null, ["rollout.engine=openai", "rollout.endpoints=[\"http://10.0.0.5:8000\"]", "rollout.weight_sync=disk"]).Rollout;
        Assert.Equal((RolloutEngineKind.Openai, WeightSyncKind.Disk), (ok.Engine, ok.WeightSync));
    }

    [Fact]
    public void LoraWeightSyncNeedsALoraPolicyAndDiskSyncAFullOne()
    {
        string[] remote = ["rollout.engine=openai", "rollout.endpoints=[\"http://10.0.0.5:8000\"]"];
        ConfigError noLora = Assert.Single(Assert.Throws<ConfigException>(() => TrainConfig.Load(null, [.. remote, "rollout.weight_sync=lora"])).Errors);
        Assert.Equal("rollout.weight_sync", noLora.Path);
        Assert.Contains("set model.lora", noLora.Message);
        ConfigError diskLora = Assert.Single(Assert.Throws<ConfigException>(() => TrainConfig.Load(null, [.. remote, "rollout.weight_sync=disk", "model.lora={rank: 4}"])).Errors);
        Assert.Contains("weight_sync: lora", diskLora.Message);
        Assert.Equal(WeightSyncKind.Lora, TrainConfig.Load(null, [.. remote, "rollout.weight_sync=lora", "model.lora={rank: 4}"]).Rollout.WeightSync);
    }

    [Fact]
    public void AnUnknownPresetIsAnErrorAtLoadTime()
    {
        var e = Assert.Throws<ConfigException>(() => TrainConfig.Load(null, ["model.preset=tiny-char"]));
        Assert.Equal("model.preset: unknown preset 'tiny-char' (expected one of: tiny, demo, medium, small) (--set)",
            Assert.Single(e.Errors).ToString());
        Assert.Equal("tiny", new TrainConfig().Model.Preset);
        Assert.Equal("tiny", Load("grpo").Model.Preset);
    }

    [Fact]
    public void CrossSectionChecksUseRootPaths()
    {
        var e = Assert.Throws<ConfigException>(() => TrainConfig.Load(null, ["optim.mini_batch_size=1000"]));
        Assert.Equal("optim.mini_batch_size: expected at most data.prompts_per_step × rollout.group_size = 64, got 1000 (--set)",
            Assert.Single(e.Errors).ToString());
    }

    static TrainConfig Load(string name) => TrainConfig.Load(Path.Combine(RepoPaths.Configs, name + ".yaml"));
}
