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
        int code = IspoCli.Run(["config", "show", "--config", Recipe("ispo"), "--set", "run.seed=7", "--set", "algorithm.ispo.beta=0"], output, new StringWriter());
        Assert.Equal(0, code);
        string yaml = output.ToString();
        Assert.Contains("seed: 7", yaml);
        Assert.Contains("beta: 0", yaml);
        Assert.Contains("eps_high: 0.28", yaml);
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
        int code = IspoCli.Run(["config", "show", "--set", "algorithm.clip.eps_high=abc", "--set", "optim.lr=-1"], new StringWriter(), error);
        Assert.Equal(2, code);
        Assert.Contains("algorithm.clip.eps_high: expected a number, got \"abc\" (--set)", error.ToString());
        Assert.Contains("optim.lr: expected a value > 0, got -1 (--set)", error.ToString());
    }
}
