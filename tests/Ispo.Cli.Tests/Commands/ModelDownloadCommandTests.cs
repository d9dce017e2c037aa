using System.CommandLine;
using Ispo.Cli.Commands;

namespace Ispo.Cli.Tests.Commands;

public class ModelDownloadCommandTests
{
    static (int Code, string Error) Run(params string[] args)
    {
        var root = new RootCommand();
        root.Subcommands.Add(ModelDownloadCommand.Create());
        var error = new StringWriter();
        int code = root.Parse(args).Invoke(new InvocationConfiguration { Output = new StringWriter(), Error = error });
        return (code, error.ToString());
    }

    [Fact]
    public void An_unreachable_endpoint_is_a_clear_error()
    {
        string cache = Directory.CreateTempSubdirectory("ispo-cli-").FullName;
        try
        {
            (int code, string error) = Run("download", "org/tiny", "--endpoint", "http://127.0.0.1:9", "--cache-dir", cache);

            Assert.Equal(1, code);
            Assert.Contains("org/tiny: cannot reach", error);
        }
        finally { Directory.Delete(cache, recursive: true); }
    }

    [Fact]
    public void A_bad_repository_id_is_a_clear_error()
    {
        (int code, string error) = Run("download", "../x", "--endpoint", "http://127.0.0.1:9");

        Assert.Equal(1, code);
        Assert.Contains("not a Hub repository id", error);
    }
}
