// The check every model-folder file passes before it is opened: it exists, holds something, and is not too large.
namespace Ispo.Models.Checkpoints;

public static class ReadableFile
{
    /// <summary>Returns the length of <paramref name="path"/> after checking it. .NET cannot tell a FIFO, socket or
    /// device from a regular file, but Linux gives each of them a length of 0, and opening a FIFO to read waits for a
    /// writer forever; so a 0-byte file (never a valid JSON or safetensors file either) is refused unopened. A symbolic
    /// link (Hugging Face's cache links every file to a blob) is judged by its final target.</summary>
    public static long Check(string path, long maxBytes = long.MaxValue)
    {
        var link = new FileInfo(path);
        if (!link.Exists) throw new FileNotFoundException($"{path}: file not found", path);
        var info = link.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? link;
        if (info.Length == 0)
            throw new InvalidDataException($"{path}: file is empty or not a regular file (a FIFO, socket or device), so it is not opened");
        if (info.Length > maxBytes) throw new InvalidDataException($"{path}: file is {info.Length} bytes, over the {maxBytes}-byte limit");
        return info.Length;
    }
}
