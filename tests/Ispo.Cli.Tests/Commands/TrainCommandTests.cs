namespace Ispo.Cli.Tests.Commands;

/// <summary>Every shipped recipe trains through `ispo train` as shipped (its preset, task, template and chat format),
/// shrunk to two short steps. The Qwen recipe needs its Hub checkpoint; TrainConfigTests loads and validates it.</summary>
public class TrainCommandTests
{
    internal static string Configs()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ispo.sln"))) return Path.Combine(dir.FullName, "configs");
        throw new InvalidOperationException("Ispo.sln not found");
    }

    public static TheoryData<string> Recipes()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(Configs(), "*.yaml").Order())
            if (!Path.GetFileName(f).StartsWith("qwen", StringComparison.Ordinal)) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Recipes))]
    public void EveryRecipeTrainsTwoSteps(string recipe)
    {
        string outDir = Directory.CreateTempSubdirectory("ispo-train-").FullName;
        try
        {
            string[] overrides = ["run.steps=2", "data.prompts_per_step=2", "rollout.group_size=2", "rollout.max_new_tokens=8",
                "optim.mini_batch_size=null", "optim.grad_accumulation=1", "model.threads=1",
                "run.tensorboard=false", "eval.every=0", $"run.out_dir={outDir}",
                .. recipe == "dapo.yaml" ? ["algorithm.shapers=[{name: overlong_penalty, cache_length: 4, penalty: 1.0}]"] : Array.Empty<string>()];
            var (code, output, err) = CliRun.Run(["train", "--config", Path.Combine(Configs(), recipe), .. overrides.SelectMany(o => new[] { "--set", o })]);
            Assert.True(code == 0, err + output);
            Assert.Contains("done: 2 steps", output);
        }
        finally { Directory.Delete(outDir, recursive: true); }
    }

    [Fact]
    public void ALoraRunTrainsTwoStepsAndCheckpointsItsAdapterOverTheBase()
    {
        string outDir = Directory.CreateTempSubdirectory("ispo-train-").FullName;
        try
        {
            string[] overrides = ["run.steps=2", "data.prompts_per_step=2", "rollout.group_size=2", "rollout.max_new_tokens=8",
                "optim.mini_batch_size=null", "optim.grad_accumulation=1", "model.threads=1", "run.tensorboard=false", "eval.every=0",
                "model.lora.rank=4", "model.gradient_checkpointing=true", $"run.out_dir={outDir}", "run.name=lora"];
            var (code, output, err) = CliRun.Run(["train", "--config", Path.Combine(Configs(), "ispo.yaml"), .. overrides.SelectMany(o => new[] { "--set", o })]);
            Assert.True(code == 0, err + output);
            Assert.Contains("done: 2 steps", output);
            string checkpoint = Path.Combine(outDir, "lora", "checkpoints", "step-2");
            Assert.True(File.Exists(Path.Combine(checkpoint, "adapter_model.safetensors")));
            using var policy = Ispo.Models.Pretrained.LoadedModel.LoadPretrained(checkpoint); // over runs/lora/initial-model
            Assert.Equal(4, policy.Model.Lora!.Options.Rank);
        }
        finally { Directory.Delete(outDir, recursive: true); }
    }

    [Fact]
    public void AnUnknownPresetIsRefusedBeforeTraining()
    {
        var (code, _, err) = CliRun.Run("train", "--config", Path.Combine(Configs(), "grpo.yaml"), "--set", "model.preset=tiny-char");
        Assert.NotEqual(0, code);
        Assert.Contains("model.preset: unknown preset 'tiny-char' (expected one of: tiny, demo, medium, small)", err);
    }
}
