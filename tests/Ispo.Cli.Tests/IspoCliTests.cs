namespace Ispo.Cli.Tests;

public class IspoCliTests
{
    [Fact]
    public void InfoReportsLoadedLibTorch()
    {
        var output = new StringWriter();
        int code = IspoCli.Run(["info"], output, new StringWriter());
        Assert.Equal(0, code);
        Assert.Contains("libtorch: loaded", output.ToString());
    }

    [Fact]
    public void UnknownCommandFails()
    {
        int code = IspoCli.Run(["no-such-command"], new StringWriter(), new StringWriter());
        Assert.NotEqual(0, code);
    }
}
