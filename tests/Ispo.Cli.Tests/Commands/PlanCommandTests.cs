using System.Text.Json;

namespace Ispo.Cli.Tests.Commands;

public class PlanCommandTests
{
    static string Fixture(string model) =>
        Path.Combine(Path.GetDirectoryName(TrainCommandTests.Configs())!, "tests", "Ispo.Training.Tests", "Planning", "Fixtures", model);

    [Fact]
    public void JsonHasParametersFitsAndBytes()
    {
        var (code, output, err) = CliRun.Run("plan", "--set", "model.preset=tiny", "--memory", "4GiB", "--json");
        Assert.True(code == 0, err);
        using JsonDocument doc = JsonDocument.Parse(output);
        JsonElement root = doc.RootElement;
        Assert.Equal(Ispo.Models.Pretrained.ModelInit.Preset("tiny").ParameterCount(), root.GetProperty("parameters").GetInt64());
        Assert.True(root.GetProperty("fits").GetBoolean());
        Assert.Equal(4L << 30, root.GetProperty("budget").GetInt64());
        foreach (string part in new[] { "weights", "gradients", "optimizer", "base_model", "kv_cache", "scoring_passes", "activations", "activations_checkpointed" })
            Assert.True(root.GetProperty("bytes").GetProperty(part).GetInt64() >= 0, part);
        Assert.True(root.GetProperty("micro_batch").GetProperty("max_rows").GetInt32() >= 1);
        Assert.Equal(0, root.GetProperty("problems").GetArrayLength());
    }

    [Fact]
    public void AFolderWithOnlyConfigJsonIsEnoughAndWhatCannotFitIsRefused()
    {
        string dir = CliRun.NewDir();
        Directory.CreateDirectory(dir);
        File.Copy(Path.Combine(Fixture("qwen2.5-math-1.5b"), "config.json"), Path.Combine(dir, "config.json"));
        string recipe = Path.Combine(TrainCommandTests.Configs(), "qwen2.5-math-1.5b-ispo.yaml");
        // the recipe fits (PlanModelTests); without its chunks, token budget and checkpointing it does not
        var (code, output, err) = CliRun.Run("plan", "--config", recipe, "--set", $"model.path={dir}", "--memory", "80GiB", "--json",
            "--set", "rollout.kv_cache_budget=null", "--set", "optim.micro_batch_tokens=null", "--set", "optim.grad_accumulation=8",
            "--set", "model.gradient_checkpointing=false");
        Assert.Equal(3, code);
        using JsonDocument doc = JsonDocument.Parse(output);
        Assert.Equal(1_543_714_304L, doc.RootElement.GetProperty("parameters").GetInt64());
        Assert.False(doc.RootElement.GetProperty("fits").GetBoolean());
        Assert.Contains("does not fit: sampling 128 prompts × 8 rollouts", err);
        Assert.Contains("optim.grad_accumulation", err);
    }

    [Fact]
    public void WithoutABudgetItOnlyReports()
    {
        var (code, output, err) = CliRun.Run("plan", "--set", "model.preset=small");
        Assert.True(code == 0, err);
        Assert.Contains("no budget given", output);
        Assert.Contains("activations_checkpointed", output);
    }

    [Fact]
    public void ABadSizeIsAnError()
    {
        var (code, _, err) = CliRun.Run("plan", "--memory", "eighty");
        Assert.Equal(1, code);
        Assert.Contains("not a memory size", err);
    }

    [Fact]
    public void TrainRefusesAPlanOverRunMemoryBudget()
    {
        string outDir = Directory.CreateTempSubdirectory("ispo-train-").FullName;
        try
        {
            var (code, output, err) = CliRun.Run("train", "--config", Path.Combine(TrainCommandTests.Configs(), "ispo.yaml"), "--set", "run.memory_budget=1MiB",
                "--set", $"run.out_dir={outDir}", "--set", "run.tensorboard=false", "--set", "eval.every=0");
            Assert.Equal(3, code);
            Assert.Contains("memory plan:", output);
            Assert.Contains("does not fit", err);
            Assert.DoesNotContain("done:", output);
        }
        finally { Directory.Delete(outDir, recursive: true); }
    }
}
