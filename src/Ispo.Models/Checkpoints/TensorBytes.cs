// Moves raw bytes between streams and CPU tensors' native memory without intermediate managed copies. TorchSharp's
// `bytes` span is int-indexed, so tensors over 1 GiB go through flat views in chunks.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Ispo.Models.Checkpoints;

public static class TensorBytes
{
    const long ChunkBytes = 1L << 30;

    static TensorBytes()
    {
        if (!BitConverter.IsLittleEndian) throw new PlatformNotSupportedException("safetensors IO needs a little-endian machine");
    }

    /// <summary>Reads a tensor's bytes from the stream straight into a new tensor's storage; the caller owns it.</summary>
    public static Tensor ReadTensor(Stream stream, long[] shape, ScalarType dtype)
    {
        var tensor = empty(shape, dtype, device: CPU);  // host staging: loading copies it onto the module's device
        try
        {
            ForEachChunk(tensor, span => stream.ReadExactly(span));
            return tensor;
        }
        catch
        {
            tensor.Dispose();
            throw;
        }
    }

    /// <summary>Writes a tensor's bytes (made contiguous on CPU first when needed) to the stream.</summary>
    public static void WriteTensor(Stream stream, Tensor tensor)
    {
        using var scope = NewDisposeScope();
        var cpu = tensor.device_type == DeviceType.CPU ? tensor : tensor.cpu();
        ForEachChunk(cpu.is_contiguous() ? cpu : cpu.contiguous(), span => stream.Write(span));
    }

    /// <summary>Address of a contiguous CPU tensor's first element (tells tied parameters apart); null when empty or strided.</summary>
    public static unsafe IntPtr? DataPointer(Tensor tensor)
    {
        if (tensor.numel() == 0 || !tensor.is_contiguous() || tensor.device_type != DeviceType.CPU) return null;
        using var scope = NewDisposeScope();
        var first = tensor.view(-1).narrow(0, 0, 1);
        return (IntPtr)Unsafe.AsPointer(ref MemoryMarshal.GetReference(first.bytes));
    }

    delegate void SpanAction(Span<byte> span);

    static void ForEachChunk(Tensor contiguous, SpanAction action)
    {
        long total = contiguous.numel();
        if (total == 0) return;
        long chunk = ChunkBytes / contiguous.element_size();
        using var scope = NewDisposeScope();
        var flat = contiguous.view(-1);
        for (long start = 0; start < total; start += chunk)
            action(flat.narrow(0, start, Math.Min(chunk, total - start)).bytes);
    }
}
