// Finds models and dataset files locally first (a path, or under --data-dir), else downloads them from the Hub.
namespace Ispo.Training.Hub;

public static class HubResolver
{
    /// <summary>Files a model needs: config, safetensors shards and index, tokenizer and generation files.</summary>
    public static bool IsModelFile(string path)
    {
        string name = Path.GetFileName(path);
        string extension = Path.GetExtension(path).ToLowerInvariant();
        return !path.Contains('/') && (extension is ".json" or ".safetensors" or ".model" or ".tiktoken" or ".jinja" || name == "merges.txt");
    }

    /// <summary>
    /// A model folder: <paramref name="nameOrPath"/> if it is a folder, else DATA_DIR/NAME or DATA_DIR/models/NAME,
    /// else the Hub repository NAME downloaded into the cache (model files only).
    /// </summary>
    public static async Task<string> ResolveModelAsync(string nameOrPath, string? dataDir, HubClient client,
        string revision = "main", IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        if (LocalCandidates(nameOrPath, dataDir, "models").FirstOrDefault(Directory.Exists) is string local)
            return local;
        return await client.DownloadRepoAsync(new HubRepo(nameOrPath, HubRepoType.Model, revision), IsModelFile, progress, cancellationToken);
    }

    /// <summary>One file of a dataset repository: DATA_DIR/PATH or DATA_DIR/datasets/REPO/PATH when present, else downloaded.</summary>
    public static async Task<string> ResolveDatasetFileAsync(string repoId, string path, string? dataDir, HubClient client,
        string revision = "main", CancellationToken cancellationToken = default)
    {
        string[] local = dataDir is null ? [] : [Path.Combine(dataDir, path), Path.Combine(dataDir, "datasets", repoId, path)];
        if (local.FirstOrDefault(File.Exists) is string file)
            return file;
        return await client.DownloadFileAsync(new HubRepo(repoId, HubRepoType.Dataset, revision), path, cancellationToken);
    }

    static IEnumerable<string> LocalCandidates(string nameOrPath, string? dataDir, string folder)
    {
        yield return nameOrPath;
        if (dataDir is null || Path.IsPathRooted(nameOrPath))
            yield break;
        yield return Path.Combine(dataDir, nameOrPath);
        yield return Path.Combine(dataDir, folder, nameOrPath);
    }
}
