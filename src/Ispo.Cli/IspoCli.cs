// The `ispo` command tree. Each command lives in Commands/ and is listed here once.
using System.CommandLine;
using Ispo.Cli.Commands;

namespace Ispo.Cli;

public static class IspoCli
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Ispo: RL from verifiable rewards (GRPO, Dr. GRPO, DAPO, ISPO) for causal language models.");
        foreach (Command command in Commands())
            root.Subcommands.Add(command);
        return root;
    }

    static IEnumerable<Command> Commands()
    {
        yield return VersionCommand.Create();
        yield return VerifyCommand.Create();
    }

    /// <summary>Parses and runs; output and error writers can be redirected (tests).</summary>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        var config = new InvocationConfiguration { Output = output ?? Console.Out, Error = error ?? Console.Error };
        return BuildRoot().Parse(args).Invoke(config);
    }
}
