// The config's dtype names as TorchSharp scalar types.
using Ispo.Training.Configuration;
using static TorchSharp.torch;

namespace Ispo.Cli.Commands;

internal static class Dtypes
{
    public static ScalarType Of(ModelDtype dtype) => dtype switch
    {
        ModelDtype.Bfloat16 => ScalarType.BFloat16,
        ModelDtype.Float16 => ScalarType.Float16,
        _ => ScalarType.Float32,
    };
}
