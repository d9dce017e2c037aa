// Runs the CLI in-process with captured output, and temporary model directories for command tests.
namespace Ispo.Cli.Tests.Commands;

internal static class CliRun
{
    public static (int Code, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = IspoCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>A fresh directory under the temp folder holding a tiny model.</summary>
    public static string TinyModel()
    {
        string dir = NewDir();
        var (code, _, err) = Run("model", "init", "--preset", "tiny", "--out", dir, "--seed", "3");
        Assert.True(code == 0, err);
        return dir;
    }

    public static string NewDir() => Path.Combine(Directory.CreateTempSubdirectory("ispo-cli-").FullName, "model");
}
