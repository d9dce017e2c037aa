namespace Ispo.Cli.Tests.Commands;

public class ConfigCommandTests
{
    static string Recipe(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Ispo.sln"))) return Path.Combine(dir.FullName, "configs", name + ".yaml");
        throw new InvalidOperationException("Ispo.sln not found");
    }

    [Fact]
    public void ShowPrintsTheResolvedRecipeWithOverrides()
    {
        var output = new StringWriter();
        int code = IspoCli.Run(["config", "show", "--config", Recipe("ispo"), "--set", "run.seed=7", "--set", "algorithm.shapers=[{name: ispo, beta: 0}]"], output, new StringWriter());
        Assert.Equal(0, code);
        string yaml = output.ToString();
        Assert.Contains("seed: 7", yaml);
        Assert.Contains("beta: 0", yaml);
        Assert.Contains("clip_high: 0.28", yaml);
    }

    [Fact]
    public void ComponentsListsEachWithItsOwnDefaultsAsARecipeWritesThem()
    {
        var output = new StringWriter();
        Assert.Equal(0, IspoCli.Run(["config", "components"], output, new StringWriter()));
        string text = output.ToString();
        Assert.Contains("loss gspo: ", text);
        string gspo = text[text.IndexOf("loss gspo: ", StringComparison.Ordinal)..];
        Assert.Contains("    clip_low: 3e-4", gspo[..gspo.IndexOf("reward_shaper", StringComparison.Ordinal)].Replace("0.0003", "3e-4"));
        Assert.Contains("    aggregation: seq-mean-token-mean", gspo);
        Assert.Contains("advantage dr_grpo: ", text);
        Assert.Contains("    scale: none", text[text.IndexOf("advantage dr_grpo", StringComparison.Ordinal)..text.IndexOf("advantage grpo", StringComparison.Ordinal)]);
    }

    [Fact]
    public void ShowWithoutAFilePrintsDefaults()
    {
        var output = new StringWriter();
        Assert.Equal(0, IspoCli.Run(["config", "show"], output, new StringWriter()));
        Assert.Contains("group_size: 8", output.ToString());
    }

    [Fact]
    public void ShowReportsEveryErrorAndFails()
    {
        var error = new StringWriter();
        int code = IspoCli.Run(["config", "show", "--set", "algorithm.loss.clip_high=abc", "--set", "optim.lr=-1"], new StringWriter(), error);
        Assert.Equal(2, code);
        Assert.Contains("algorithm.loss.clip_high: expected a number, got \"abc\" (--set)", error.ToString());
        Assert.Contains("optim.lr: expected a value > 0, got -1 (--set)", error.ToString());
    }
}
