// A fresh temporary directory for one test, deleted on dispose.
namespace Ispo.Training.Tests;

/// <summary>A fresh temporary directory, deleted on dispose.</summary>
sealed class TempDir : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("ispo-test-").FullName;
    public string File(string name) => System.IO.Path.Combine(Path, name);
    public void Dispose() => Directory.Delete(Path, recursive: true);
}
