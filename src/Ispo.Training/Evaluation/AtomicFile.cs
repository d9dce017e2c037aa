// Writes a file the user keeps via a temporary sibling and a rename, so a crash never leaves half a file.
namespace Ispo.Training.Evaluation;

internal static class AtomicFile
{
    public static void WriteAllText(string path, string text) => Write(path, temp => File.WriteAllText(temp, text));

    public static void WriteAllLines(string path, IEnumerable<string> lines) => Write(path, temp => File.WriteAllLines(temp, lines));

    static void Write(string path, Action<string> writeTemp)
    {
        string temp = path + ".tmp";
        writeTemp(temp);
        File.Move(temp, path, overwrite: true);
    }
}
