// The safetensors dtype names we read and write, with their element sizes and TorchSharp scalar types.
using TorchSharp;

namespace Ispo.Models.Checkpoints;

public enum SafetensorsDtype { F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL }

public static class SafetensorsDtypes
{
    static readonly Dictionary<string, SafetensorsDtype> ByName =
        Enum.GetValues<SafetensorsDtype>().ToDictionary(d => d.ToString(), StringComparer.Ordinal);

    /// <summary>Parses a header dtype name ("F32", "BF16", ...); null when unknown.</summary>
    public static SafetensorsDtype? TryParse(string name) => ByName.TryGetValue(name, out var d) ? d : null;

    public static int ElementSize(this SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.F64 or SafetensorsDtype.I64 => 8,
        SafetensorsDtype.F32 or SafetensorsDtype.I32 => 4,
        SafetensorsDtype.F16 or SafetensorsDtype.BF16 or SafetensorsDtype.I16 => 2,
        _ => 1,
    };

    public static torch.ScalarType ToScalarType(this SafetensorsDtype dtype) => dtype switch
    {
        SafetensorsDtype.F64 => torch.ScalarType.Float64,
        SafetensorsDtype.F32 => torch.ScalarType.Float32,
        SafetensorsDtype.F16 => torch.ScalarType.Float16,
        SafetensorsDtype.BF16 => torch.ScalarType.BFloat16,
        SafetensorsDtype.I64 => torch.ScalarType.Int64,
        SafetensorsDtype.I32 => torch.ScalarType.Int32,
        SafetensorsDtype.I16 => torch.ScalarType.Int16,
        SafetensorsDtype.I8 => torch.ScalarType.Int8,
        SafetensorsDtype.U8 => torch.ScalarType.Byte,
        SafetensorsDtype.BOOL => torch.ScalarType.Bool,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype)),
    };

    public static SafetensorsDtype FromScalarType(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Float64 => SafetensorsDtype.F64,
        torch.ScalarType.Float32 => SafetensorsDtype.F32,
        torch.ScalarType.Float16 => SafetensorsDtype.F16,
        torch.ScalarType.BFloat16 => SafetensorsDtype.BF16,
        torch.ScalarType.Int64 => SafetensorsDtype.I64,
        torch.ScalarType.Int32 => SafetensorsDtype.I32,
        torch.ScalarType.Int16 => SafetensorsDtype.I16,
        torch.ScalarType.Int8 => SafetensorsDtype.I8,
        torch.ScalarType.Byte => SafetensorsDtype.U8,
        torch.ScalarType.Bool => SafetensorsDtype.BOOL,
        _ => throw new NotSupportedException($"safetensors has no dtype for TorchSharp {type}"),
    };
}
