// Turns the expected failures of a command (bad input, missing or corrupt files) into one line on stderr and exit 1.
using System.CommandLine;
using Ispo.Models.Checkpoints;
using Ispo.Models.Config;

namespace Ispo.Cli.Commands;

internal static class CommandErrors
{
    public static int Run(ParseResult parse, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (e is ArgumentException or ModelConfigException or IOException or InvalidDataException
                                      or CheckpointMismatchException or UnauthorizedAccessException)
        {
            parse.InvocationConfiguration.Error.WriteLine("error: " + e.Message);
            return 1;
        }
    }
}
