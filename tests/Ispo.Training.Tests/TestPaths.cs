// Paths the tests share: the repository's shared data directory and per-test temporary folders.
namespace Ispo.Training.Tests;

static class TestPaths
{
    /// <summary>../shared/data relative to the repository root (found by walking up to Ispo.sln).</summary>
    public static string SharedData { get; } = Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "data"));

    static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Ispo.sln")))
            dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("Ispo.sln not found above the test binaries");
    }
}

/// <summary>A fresh temporary directory, deleted on dispose.</summary>
sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ispo-test-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
