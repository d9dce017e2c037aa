// Downloads files and repositories from the Hugging Face Hub (or a mirror) into a cache directory: resolve URLs
// `{endpoint}/{datasets/}{repo}/resolve/{revision}/{path}`, listings from `/api/{models|datasets}/{repo}/revision/{rev}`,
// resume of partial downloads with HTTP Range on a `.incomplete` file, size and sha256 checks, HF_TOKEN as Bearer.
using System.Net;
using System.Text.Json.Nodes;

namespace Ispo.Training.Hub;

public sealed class HubClient : IDisposable
{
    const int MaxRedirects = 10;
    readonly HttpClient http;
    readonly Uri endpoint;

    public HubOptions Options { get; }

    public HubClient(HubOptions? options = null, HttpMessageHandler? handler = null)
    {
        Options = options ?? HubOptions.FromEnvironment();
        endpoint = new Uri(Options.Endpoint.TrimEnd('/') + "/");
        // Redirects are followed by hand: the first hop carries the LFS hash and size, and the token must not
        // travel to another host (the CDN).
        http = new HttpClient(handler ?? new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(30) }) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Local folder of a repository revision in the cache.</summary>
    public string LocalDir(HubRepo repo) =>
        Path.Combine(Options.CacheDir, repo.Kind, repo.Id.Replace("/", "--"), repo.Revision.Replace("/", "--"));

    /// <summary>Every file path in the repository at its revision.</summary>
    public async Task<IReadOnlyList<string>> ListFilesAsync(HubRepo repo, CancellationToken cancellationToken = default)
    {
        Uri url = new(endpoint, $"api/{repo.Kind}/{repo.Id}/revision/{Uri.EscapeDataString(repo.Revision)}");
        (HttpResponseMessage response, List<HttpResponseMessage> hops) = await GetAsync(repo, url, rangeFrom: 0, cancellationToken);
        using var _ = new Disposables(hops);
        JsonNode? info = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return info?["siblings"] is JsonArray siblings
            ? siblings.Select(s => (string?)s?["rfilename"]).OfType<string>().ToList()
            : throw new HubException($"{repo}: the listing at {url} has no 'siblings'");
    }

    /// <summary>Downloads the files of a repository passing <paramref name="include"/> (default: all); returns its local folder.</summary>
    public async Task<string> DownloadRepoAsync(HubRepo repo, Func<string, bool>? include = null,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default)
    {
        foreach (string file in (await ListFilesAsync(repo, cancellationToken)).Where(include ?? (_ => true)))
        {
            progress?.Report(file);
            await DownloadFileAsync(repo, file, cancellationToken);
        }
        return LocalDir(repo);
    }

    /// <summary>
    /// The local path of one file, downloading it when absent. A previous partial download (`.incomplete`) is
    /// resumed with a Range request; the finished file is checked against the server's size and sha256.
    /// </summary>
    public async Task<string> DownloadFileAsync(HubRepo repo, string path, CancellationToken cancellationToken = default)
    {
        string target = ContainedPath(repo, path);
        if (File.Exists(target))
            return target;
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        string partial = target + ".incomplete";
        Uri url = new(endpoint, $"{repo.ResolvePrefix}{repo.Id}/resolve/{Uri.EscapeDataString(repo.Revision)}/{EscapePath(path)}");
        FileIntegrity integrity = await FetchAsync(repo, url, partial, cancellationToken);
        try { integrity.Check(partial, $"{repo}: {path}"); }
        catch (HubException) { File.Delete(partial); throw; }
        File.Move(partial, target, overwrite: true);
        return target;
    }

    /// <summary>Where a repository file goes in the cache: a listing is the server's word, and a name that is absolute
    /// or climbs out (<c>../</c>) would let a hostile or broken mirror write anywhere the user can.</summary>
    string ContainedPath(HubRepo repo, string path)
    {
        string root = Path.GetFullPath(LocalDir(repo)) + Path.DirectorySeparatorChar;
        string[] parts = path.Split('/');
        bool plain = path.Length > 0 && !path.Contains('\\') && !path.Contains('\0')
            && parts.All(p => p.Length > 0 && p != "." && p != "..");
        string target = Path.GetFullPath(Path.Combine(root, path));
        return plain && target.StartsWith(root, StringComparison.Ordinal)
            ? target
            : throw new HubException($"{repo}: the server lists the file '{path}', which is not a relative path inside the repository; refusing to write it");
    }

    /// <summary>Appends the missing bytes to <paramref name="partial"/> (or rewrites it when the server ignores Range).</summary>
    async Task<FileIntegrity> FetchAsync(HubRepo repo, Uri url, string partial, CancellationToken cancellationToken)
    {
        long have = File.Exists(partial) ? new FileInfo(partial).Length : 0;
        (HttpResponseMessage response, List<HttpResponseMessage> hops) = await GetAsync(repo, url, have, cancellationToken);
        using var _ = new Disposables(hops);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            if (have == 0)
                throw new HubException($"{repo}: HTTP 416 from {url} without a range request");
            File.Delete(partial);                                 // the partial file no longer fits the remote one
            return await FetchAsync(repo, url, partial, cancellationToken);
        }
        bool resumed = response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == have;
        FileIntegrity integrity = FileIntegrity.From(hops);
        integrity = integrity with { Size = integrity.Size ?? TotalSize(response, resumed ? have : 0) };
        await using (var file = new FileStream(partial, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write))
        {
            try { await (await response.Content.ReadAsStreamAsync(cancellationToken)).CopyToAsync(file, cancellationToken); }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                throw new HubException($"{repo}: download of {url} was interrupted after {file.Length} bytes ({e.Message}); run again to resume", e);
            }
        }
        return integrity;
    }

    static long? TotalSize(HttpResponseMessage response, long offset) =>
        response.Content.Headers.ContentRange?.Length ?? (response.Content.Headers.ContentLength is long n ? offset + n : null);

    /// <summary>GET with redirects followed by hand; the token goes only to the endpoint's host. Errors become HubExceptions.</summary>
    async Task<(HttpResponseMessage Final, List<HttpResponseMessage> Hops)> GetAsync(
        HubRepo repo, Uri url, long rangeFrom, CancellationToken cancellationToken)
    {
        var hops = new List<HttpResponseMessage>();
        try
        {
            for (int hop = 0; hop <= MaxRedirects; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                if (rangeFrom > 0)
                    request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(rangeFrom, null);
                if (Options.Token is not null && url.Authority == endpoint.Authority)
                    request.Headers.Authorization = new("Bearer", Options.Token);
                HttpResponseMessage response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                hops.Add(response);
                if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is Uri location)
                {
                    url = new Uri(url, location);
                    continue;
                }
                ThrowOnError(repo, url, response);
                return (response, hops);
            }
            throw new HubException($"{repo}: more than {MaxRedirects} redirects from {url}");
        }
        catch (HttpRequestException e)
        {
            new Disposables(hops).Dispose();
            throw new HubException($"{repo}: cannot reach {url} ({e.Message}); set {HubOptions.EndpointVariable} to use a mirror", e);
        }
        catch
        {
            new Disposables(hops).Dispose();
            throw;
        }
    }

    void ThrowOnError(HubRepo repo, Uri url, HttpResponseMessage response)
    {
        int status = (int)response.StatusCode;
        if (response.IsSuccessStatusCode || status == 416)
            return;
        string tokenAdvice = Options.Token is null
            ? $"set {HubOptions.TokenVariable} to a Hugging Face access token"
            : $"the token in {HubOptions.TokenVariable} has no access; check it";
        throw status switch
        {
            401 or 403 => new HubException(
                $"{repo}: access denied (HTTP {status}); the repository is gated or private: {tokenAdvice} " +
                "(and accept the repository's terms on its Hub page)"),
            404 => new HubException($"{repo}: not found (HTTP 404) at {url}; check the name, revision and file path"),
            _ => new HubException($"{repo}: HTTP {status} {response.ReasonPhrase} from {url}"),
        };
    }

    static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    public void Dispose() => http.Dispose();

    sealed class Disposables(List<HttpResponseMessage> items) : IDisposable
    {
        public void Dispose() { foreach (var item in items) item.Dispose(); }
    }
}
