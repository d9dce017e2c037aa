using Ispo.Training.Configuration;
using Ispo.Training.Planning;

namespace Ispo.Training.Tests.Planning;

/// <summary>The plan's parameter counts for the real models, from their published config.json alone (Fixtures/), equal
/// the published totals; and what a shipped recipe becomes as plan inputs.</summary>
public class PlanModelTests
{
    internal static string Fixture(string model) => Path.Combine(RepoPaths.Root, "tests", "Ispo.Training.Tests", "Planning", "Fixtures", model);

    [Theory]
    [InlineData("qwen2.5-math-1.5b", 1_543_714_304L)]
    [InlineData("qwen2.5-math-7b", 7_615_616_512L)]
    [InlineData("qwen2.5-7b", 7_615_616_512L)]
    [InlineData("llama-3.1-8b", 8_030_261_248L)]
    public void ParameterCountsEqualThePublishedOnes(string model, long parameters)
    {
        TrainConfig config = TrainConfig.Load(null, [$"model.path={Fixture(model)}"]);
        Assert.Equal(parameters, PlanModel.Plan(config, budget: null).Parameters);
    }

    [Fact]
    public void APresetNeedsNoFiles()
    {
        TrainConfig config = TrainConfig.Load(null, ["model.preset=small"]);
        Assert.Equal(Ispo.Models.Pretrained.ModelInit.Preset("small").ParameterCount(), PlanModel.Plan(config, null).Parameters);
    }

    [Fact]
    public void AFolderWithoutConfigJsonIsNamed()
    {
        string empty = Directory.CreateTempSubdirectory("ispo-plan-").FullName;
        var e = Assert.Throws<FileNotFoundException>(() => PlanModel.Plan(TrainConfig.Load(null, [$"model.path={empty}"]), null));
        Assert.Contains("config.json", e.Message);
    }

    [Fact]
    public void TheQwenRecipeBecomesItsStepShape()
    {
        TrainConfig config = TrainConfig.Load(Path.Combine(RepoPaths.Configs, "qwen2.5-math-1.5b-ispo.yaml"), [$"model.path={Fixture("qwen2.5-math-1.5b")}"]);
        PlanInputs p = PlanInputs.From(config, PlanModel.Read(config));
        Assert.Equal((2, true, false), (p.DtypeBytes, p.OnCpu, p.OwnKernels));  // bf16: libtorch's ops, whatever the device
        Assert.Equal((128, 8, 1024, 3072), (p.Prompts, p.GroupSize, p.PromptTokens, p.MaxNewTokens)); // 4096 positions − 3072 new
        Assert.Equal(256 / 32, p.MicroBatchRows);
        Assert.Equal(128 / 32 * 8, p.ScoringRows);
        Assert.Equal((49152L, 256, true, true), (p.MicroBatchTokens!.Value, p.MiniBatchRows, p.GradientCheckpointing, p.MasterWeights));
        Assert.Equal(24L << 30, p.KvCacheBudget);
        Assert.True(p.BaseModel && p.AblatedPass); // ISPO's drift reads base log-probs, IFD_cond the ablated answers
        Assert.False(p.BaseIsPolicyWithoutAdapters);
        Assert.False(p.CurrentEntropies);
    }

    /// <summary>The plans the README quotes: both GPU recipes fit one 80 GiB GPU at prompts of 1,024 tokens.</summary>
    [Theory]
    [InlineData("qwen2.5-math-1.5b-ispo", "qwen2.5-math-1.5b", 1_543_714_304L)]
    [InlineData("qwen2.5-math-7b-ispo-lora", "qwen2.5-math-7b", 40_370_176L)]
    public void TheGpuRecipesFitOne80GiBGpu(string recipe, string model, long trainable)
    {
        TrainConfig config = TrainConfig.Load(Path.Combine(RepoPaths.Configs, recipe + ".yaml"), [$"model.path={Fixture(model)}"]);
        MemoryPlan plan = PlanModel.Plan(config, budget: 80L << 30, promptTokens: 1024);
        Assert.True(plan.Fits, string.Join("; ", plan.Problems));
        Assert.Equal(trainable, plan.TrainableParameters);
        Assert.True(plan.RolloutRows < plan.Rows);   // sampled in chunks
        Assert.Equal(plan.UpdateCheckpointed, plan.Update);
        Assert.True(plan.UpdateWithoutCheckpointing > plan.Budget);   // which checkpointing is what makes fit
    }

    [Fact]
    public void TheKvCacheBudgetMustBeASizeAndMicroBatchTokensPositive()
    {
        Assert.Equal(8L << 30, RolloutChunk.Budget(TrainConfig.Load(null, ["rollout.kv_cache_budget=8GiB"]).Rollout));
        Assert.Null(RolloutChunk.Budget(new TrainConfig().Rollout));
        Assert.Contains("kv_cache_budget", Assert.Throws<ConfigException>(() => TrainConfig.Load(null, ["rollout.kv_cache_budget=lots"])).Message);
        Assert.Contains("micro_batch_tokens", Assert.Throws<ConfigException>(() => TrainConfig.Load(null, ["optim.micro_batch_tokens=0"])).Message);
    }

    [Fact]
    public void RunMemoryBudgetMustBeASize()
    {
        Assert.Equal("80GiB", TrainConfig.Load(null, ["run.memory_budget=80GiB"]).Run.MemoryBudget);
        var e = Assert.Throws<ConfigException>(() => TrainConfig.Load(null, ["run.memory_budget=lots"]));
        Assert.Contains("memory_budget", e.Message);
    }
}
