// `ispo model`: the group holding `model init`, `model inspect` and `model download`.
using System.CommandLine;

namespace Ispo.Cli.Commands;

public static class ModelCommand
{
    public static Command Create()
    {
        var command = new Command("model", "Create, inspect and download Hugging Face-layout model directories.");
        command.Subcommands.Add(ModelInitCommand.Create());
        command.Subcommands.Add(ModelInspectCommand.Create());
        command.Subcommands.Add(ModelDownloadCommand.Create());
        return command;
    }
}
