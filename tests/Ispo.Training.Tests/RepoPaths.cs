// Locates the repository root (the folder holding Ispo.sln) from the test's output directory.
namespace Ispo.Training.Tests;

static class RepoPaths
{
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Ispo.sln"))) return dir.FullName;
            throw new InvalidOperationException("Ispo.sln not found above " + AppContext.BaseDirectory);
        }
    }

    public static string Configs => Path.Combine(Root, "configs");

    /// <summary>A fresh empty temp folder, deleted when disposed.</summary>
    public sealed class TempDir : IDisposable
    {
        public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ispo-test-" + Guid.NewGuid().ToString("N"));
        public TempDir() => Directory.CreateDirectory(Path);
        public void Dispose() { try { Directory.Delete(Path, recursive: true); } catch (IOException) { } }
    }
}
