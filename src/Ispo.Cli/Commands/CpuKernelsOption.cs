// --cpu-kernels of the commands that load a model without a recipe (sample, eval, serve): the switch a recipe sets with
// model.cpu_kernels, so every command can compare the two kernel paths.
using System.CommandLine;
using Ispo.Models;

namespace Ispo.Cli.Commands;

internal static class CpuKernelsOption
{
    public static Option<CpuKernels> Create() => new("--cpu-kernels")
    {
        Description = "auto: Ispo's CPU kernels where they apply; off: libtorch's own operations only (as model.cpu_kernels)",
        DefaultValueFactory = _ => CpuKernels.Auto,
    };
}
