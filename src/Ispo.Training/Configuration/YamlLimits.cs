// Bounds on a config before YamlDotNet builds it: a recipe is a few kilobytes and a few levels deep, while a file of
// unbounded size (/dev/zero) or nesting (100k "- ") would exhaust memory or overflow the stack of the recursive
// representation model, which no catch can stop.
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Ispo.Training.Configuration;

public static class YamlLimits
{
    public const int MaxBytes = 1 << 20;
    public const int MaxDepth = 64;

    /// <summary>The text of a config file, refusing anything but a regular file of at most <see cref="MaxBytes"/>.</summary>
    public static string ReadFile(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists || info.Attributes.HasFlag(FileAttributes.Directory))
            throw new ConfigException([new ConfigError("", $"config file not found: {path}")]);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.None);
        var buffer = new byte[MaxBytes + 1];
        int read = 0, n;
        while (read < buffer.Length && (n = stream.Read(buffer, read, buffer.Length - read)) > 0) read += n;
        if (read > MaxBytes)
            throw new ConfigException([new ConfigError("", $"config file {path} is larger than {MaxBytes / 1024} KiB (a recipe is a few KiB)")]);
        return System.Text.Encoding.UTF8.GetString(buffer, 0, read);
    }

    /// <summary>The line where nesting first goes deeper than <see cref="MaxDepth"/>, or null (also for text that does
    /// not parse: the representation model reports that with its own message).</summary>
    public static int? TooDeepAt(string yaml)
    {
        var parser = new Parser(new StringReader(yaml));
        int depth = 0;
        try
        {
            while (parser.MoveNext())
            {
                if (parser.Current is MappingStart or SequenceStart && ++depth > MaxDepth) return (int)parser.Current.Start.Line;
                if (parser.Current is MappingEnd or SequenceEnd) depth--;
            }
        }
        catch (YamlException) { }
        catch (InvalidOperationException) { }
        return null;
    }
}
