using System.Text;
using Ispo.Training.Data;
using Ispo.Training.Hub;

namespace Ispo.Training.Tests.Hub;

public class HubClientTests
{
    static readonly byte[] Weights = Enumerable.Range(0, 5000).Select(i => (byte)(i * 31 % 251)).ToArray();
    static readonly byte[] Config = Encoding.UTF8.GetBytes("{\"hidden_size\": 8}");

    static HubClient Client(FakeHubServer server, string cacheDir, string? token = null) =>
        new(new HubOptions { Endpoint = server.Endpoint, CacheDir = cacheDir, Token = token });

    [Fact]
    public async Task Downloads_a_model_repository_into_the_cache()
    {
        using var server = new FakeHubServer();
        server.Add("models", "org/tiny", "config.json", new(Config, Lfs: false));
        server.Add("models", "org/tiny", "model.safetensors", new(Weights));
        server.Add("models", "org/tiny", "original/consolidated.pth", new(Weights));
        using var cache = new TempDir();
        using HubClient client = Client(server, cache.Path);

        string dir = await HubResolver.ResolveModelAsync("org/tiny", dataDir: null, client);

        Assert.Equal(Weights, File.ReadAllBytes(Path.Combine(dir, "model.safetensors")));
        Assert.Equal(Config, File.ReadAllBytes(Path.Combine(dir, "config.json")));
        Assert.False(File.Exists(Path.Combine(dir, "original", "consolidated.pth")));
        Assert.Equal(Path.Combine(cache.Path, "models", "org--tiny", "main"), dir);
        Assert.Empty(Directory.GetFiles(dir, "*.incomplete"));
    }

    [Theory]
    [InlineData("../../escaped.txt")]
    [InlineData("/tmp/escaped.txt")]
    [InlineData("sub/../../escaped.txt")]
    public async Task A_listed_file_outside_the_repository_folder_is_refused(string name)
    {
        using var server = new FakeHubServer();
        server.Add("models", "org/tiny", "config.json", new(Config, Lfs: false));
        server.Add("models", "org/tiny", name, new(Config, Lfs: false));
        using var cache = new TempDir();
        using HubClient client = Client(server, cache.Path);

        var error = await Assert.ThrowsAsync<HubException>(() => client.DownloadRepoAsync(new HubRepo("org/tiny")));

        Assert.Contains($"'{name}', which is not a relative path inside the repository", error.Message);
        Assert.False(File.Exists(Path.Combine(cache.Path, "models", "escaped.txt")));
        Assert.False(File.Exists("/tmp/escaped.txt"));
    }

    [Theory]
    [InlineData("..")]
    [InlineData("main/../../x")]
    public void A_revision_that_climbs_out_of_the_cache_is_refused(string revision) =>
        Assert.Throws<ArgumentException>(() => new HubRepo("org/tiny", Revision: revision));

    [Fact]
    public async Task Resumes_a_partial_download_with_a_range_request()
    {
        using var server = new FakeHubServer();
        server.Add("models", "org/tiny", "model.safetensors", new(Weights));
        using var cache = new TempDir();
        using HubClient client = Client(server, cache.Path);
        var repo = new HubRepo("org/tiny");
        string target = Path.Combine(client.LocalDir(repo), "model.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllBytes(target + ".incomplete", Weights[..1234]);

        await client.DownloadFileAsync(repo, "model.safetensors");

        Assert.Equal(Weights, File.ReadAllBytes(target));
        Assert.Contains(server.Requests, r => r.Path.StartsWith("/cdn/") && r.Range == "bytes=1234-");
    }

    [Fact]
    public async Task A_stale_partial_file_longer_than_the_remote_one_is_restarted()
    {
        using var server = new FakeHubServer();
        server.Add("models", "org/tiny", "model.safetensors", new(Weights));
        using var cache = new TempDir();
        using HubClient client = Client(server, cache.Path);
        var repo = new HubRepo("org/tiny");
        string target = Path.Combine(client.LocalDir(repo), "model.safetensors");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllBytes(target + ".incomplete", new byte[Weights.Length + 10]);

        await client.DownloadFileAsync(repo, "model.safetensors");

        Assert.Equal(Weights, File.ReadAllBytes(target));
    }

    [Fact]
    public async Task An_interrupted_download_resumes_on_the_next_call()
    {
        using var server = new FakeHubServer();
        server.Add("models", "org/tiny", "model.safetensors", new(Weights, CutAfterBytes: 2000));
        using var cache = new TempDir();
        using HubClient client = Client(server, cache.Path);
        var repo = new HubRepo("org/tiny");

        var error = await Assert.ThrowsAsync<HubException>(() => client.DownloadFileAsync(repo, "model.safetensors"));
        string path = await client.DownloadFileAsync(repo, "model.safetensors");

        Assert.Contains("run again to resume", error.Message);
        Assert.Equal(Weights, File.ReadAllBytes(path));
    }

    [Fact]
    public async Task A_checksum_mismatch_is_an_error_and_leaves_no_file()
    {
        using var server = new FakeHubServer();
        server.Add("datasets", "org/set", "data/train.parquet", new(Weights, AdvertisedSha256: new string('a', 64)));
        using var cache = new TempDir();
        using HubClient client = Client(server, cache.Path);

        var error = await Assert.ThrowsAsync<HubException>(() =>
            HubResolver.ResolveDatasetFileAsync("org/set", "data/train.parquet", dataDir: null, client));

        Assert.Contains("checksum mismatch", error.Message);
        Assert.Contains("org/set", error.Message);
        Assert.Empty(Directory.GetFiles(cache.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_gated_repository_without_token_names_the_repo_and_HF_TOKEN()
    {
        using var server = new FakeHubServer();
        server.Add("models", "org/gated", "config.json", new(Config, Lfs: false));
        server.Gate("models", "org/gated");
        using var cache = new TempDir();
        using HubClient anonymous = Client(server, cache.Path);
        using HubClient authorised = Client(server, cache.Path, token: "good-token");

        var error = await Assert.ThrowsAsync<HubException>(() => anonymous.DownloadFileAsync(new HubRepo("org/gated"), "config.json"));
        string path = await authorised.DownloadFileAsync(new HubRepo("org/gated"), "config.json");

        Assert.Contains("org/gated", error.Message);
        Assert.Contains("HTTP 401", error.Message);
        Assert.Contains("HF_TOKEN", error.Message);
        Assert.Equal(Config, File.ReadAllBytes(path));
        Assert.Contains(server.Requests, r => r.Authorization == "Bearer good-token");
    }

    [Fact]
    public async Task A_missing_file_is_a_clear_error()
    {
        using var server = new FakeHubServer();
        using var cache = new TempDir();
        using HubClient client = Client(server, cache.Path);

        var error = await Assert.ThrowsAsync<HubException>(() => client.DownloadFileAsync(new HubRepo("org/tiny"), "nope.json"));

        Assert.Contains("org/tiny: not found (HTTP 404)", error.Message);
    }

    [Fact]
    public async Task Local_folders_win_over_the_hub()
    {
        using var data = new TempDir();
        Directory.CreateDirectory(Path.Combine(data.Path, "models", "org", "local"));
        using var client = new HubClient(new HubOptions { Endpoint = "http://127.0.0.1:9", CacheDir = data.Path });

        string dir = await HubResolver.ResolveModelAsync("org/local", data.Path, client);

        Assert.Equal(Path.Combine(data.Path, "models", "org/local"), dir);
    }

    [Fact]
    public async Task A_benchmark_missing_locally_is_downloaded_from_its_hub_dataset()
    {
        using var server = new FakeHubServer();
        byte[] lines = Encoding.UTF8.GetBytes("{\"problem\": \"1+1?\", \"answer\": \"2\", \"unique_id\": \"a\"}\n{\"problem\": \"2+2?\", \"answer\": \"4\", \"unique_id\": \"b\"}\n");
        server.Add("datasets", "HuggingFaceH4/MATH-500", "test.jsonl", new(lines, Lfs: false));
        using var emptyDataDir = new TempDir();
        using var cache = new TempDir();
        using HubClient client = Client(server, cache.Path);

        Dataset math500 = await DatasetRegistry.ResolveAsync("math500", emptyDataDir.Path, client);

        Assert.Equal(["2", "4"], math500.Problems.Select(p => p.Answer));
        Assert.Contains(server.Requests, r => r.Path == "/datasets/HuggingFaceH4/MATH-500/resolve/main/test.jsonl");
    }

    [Fact]
    public void Repository_ids_are_validated()
    {
        Assert.Throws<ArgumentException>(() => new HubRepo("../etc"));
        Assert.Throws<ArgumentException>(() => new HubRepo("a/b/c"));
        Assert.Equal("datasets", new HubRepo("a/b", HubRepoType.Dataset).Kind);
    }
}
