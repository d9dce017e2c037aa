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
        yield return DemoCommand.Create();
        yield return StudyCommand.Create();
        yield return TrainCommand.Create();
        yield return PlanCommand.Create();
        yield return SftCommand.Create();
        yield return EvalCommand.Create();
        yield return SampleCommand.Create();
        yield return ServeCommand.Create();
        yield return TokenizeCommand.Create();
        yield return VerifyCommand.Create();
        yield return SignalsCommand.Create();
        yield return ReportCommand.Create();
        yield return ModelCommand.Create();
        yield return LoraCommand.Create();
        yield return ConfigCommand.Create();
        yield return VersionCommand.Create();
    }

    /// <summary>Parses and runs; output and error writers can be redirected (tests).</summary>
    /// <remarks>Errors print as one message (the stack trace only with ISPO_DEBUG=1) and exit with 1.</remarks>
    public static int Run(string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        error ??= Console.Error;
        var config = new InvocationConfiguration
        {
            Output = output ?? Console.Out,
            Error = error,
            EnableDefaultExceptionHandler = false,
        };
        try
        {
            return BuildRoot().Parse(args).Invoke(config);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            bool debug = Environment.GetEnvironmentVariable("ISPO_DEBUG") == "1";
            error.WriteLine("error: " + (debug ? e.ToString() : e.Message));
            return 1;
        }
    }
}
