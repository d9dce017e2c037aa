// Atomic file writes: write a temp file in the same directory, flush it to disk, then rename over the target,
// so a crash never leaves a half-written checkpoint or tokenizer behind.
using System.Text;

namespace Ispo.Models.Checkpoints;

public static class AtomicFile
{
    public const string TempInfix = ".tmp-";

    public static void Write(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temp = full + $"{TempInfix}{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
            {
                write(stream);
                stream.Flush(flushToDisk: true);
            }
            CrashPoints.Reach("file.written");
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> bytes)
    {
        byte[] copy = bytes.ToArray();
        Write(path, s => s.Write(copy));
    }

    public static void Copy(string source, string destination) => Write(destination, target =>
    {
        using FileStream input = File.OpenRead(source);
        input.CopyTo(target);
    });

    public static void WriteAllText(string path, string text) =>
        Write(path, s => s.Write(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text)));
}
