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

    /// <summary>../shared/data beside the repository.</summary>
    public static string SharedData => Path.GetFullPath(Path.Combine(Root, "..", "shared", "data"));
}
