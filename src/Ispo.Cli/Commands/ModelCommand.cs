// `ispo model`: the group holding `model init` and `model inspect`.
using System.CommandLine;

namespace Ispo.Cli.Commands;

public static class ModelCommand
{
    public static Command Create()
    {
        var command = new Command("model", "Create and inspect Hugging Face-layout model directories.");
        command.Subcommands.Add(ModelInitCommand.Create());
        command.Subcommands.Add(ModelInspectCommand.Create());
        return command;
    }
}
