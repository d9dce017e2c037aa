// `ispo info`: versions of Ispo, TorchSharp and libtorch, and whether the native runtime loads.
using System.CommandLine;
using System.Reflection;
using Ispo.Models.Runtime;

namespace Ispo.Cli.Commands;

public static class VersionCommand
{
    public static Command Create()
    {
        var command = new Command("info", "Show versions and check that libtorch loads.");
        command.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            output.WriteLine("ispo " + typeof(VersionCommand).Assembly.GetName().Version);
            output.WriteLine("TorchSharp " + typeof(TorchSharp.torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion);
            TorchRuntime.EnsureLoaded();
            output.WriteLine("libtorch: loaded, " + TorchSharp.torch.get_num_threads() + " threads");
            return 0;
        });
        return command;
    }
}
