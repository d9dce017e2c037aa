using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Ispo.Training.Tests.Hub;

/// <summary>
/// A Hub look-alike on 127.0.0.1 (random free port) for the tests: listings at /api/{models|datasets}/REPO/revision/REV,
/// files at /{datasets/}REPO/resolve/REV/PATH. LFS files redirect to /cdn/… with X-Linked-Etag (sha256) and
/// X-Linked-Size and honour Range; gated repos want "Bearer good-token". Serves a bounded number of requests.
/// </summary>
sealed class FakeHubServer : IDisposable
{
    public sealed record HostedFile(byte[] Bytes, bool Lfs = true, string? AdvertisedSha256 = null, int? CutAfterBytes = null);

    readonly HttpListener listener = new();
    readonly Dictionary<string, HostedFile> files = new();     // "models/owner/name/path" → file
    readonly HashSet<string> gated = [];
    readonly Task loop;

    public string Endpoint { get; }
    public List<(string Path, string? Range, string? Authorization)> Requests { get; } = [];

    public FakeHubServer(int maxRequests = 100)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Endpoint = $"http://127.0.0.1:{port}";
        listener.Prefixes.Add(Endpoint + "/");
        listener.Start();
        loop = Task.Run(() => Serve(maxRequests));
    }

    public void Add(string kind, string repo, string path, HostedFile file) => files[$"{kind}/{repo}/{path}"] = file;
    public void Gate(string kind, string repo) => gated.Add($"{kind}/{repo}");

    async Task Serve(int maxRequests)
    {
        for (int served = 0; served < maxRequests && listener.IsListening; served++)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            lock (Requests)
                Requests.Add((context.Request.Url!.AbsolutePath, context.Request.Headers["Range"], context.Request.Headers["Authorization"]));
            try { Handle(context); }
            catch (HttpListenerException) { }                 // the client went away
            catch (Exception) { Finish(context.Response, 500); }
        }
    }

    void Handle(HttpListenerContext context)
    {
        string path = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath.TrimStart('/'));
        HttpListenerResponse response = context.Response;
        string[] parts = path.Split('/');
        if (parts[0] == "cdn")
        {
            ServeBytes(context, files[string.Join('/', parts[1..])]);
            return;
        }
        bool api = parts[0] == "api";
        string kind = api ? parts[1] : parts[0] == "datasets" ? "datasets" : "models";
        string[] rest = api ? parts[2..] : parts[0] == "datasets" ? parts[1..] : parts;
        string repo = $"{rest[0]}/{rest[1]}";
        if (gated.Contains($"{kind}/{repo}") && context.Request.Headers["Authorization"] != "Bearer good-token")
        {
            Finish(response, 401);
            return;
        }
        if (api)
            ServeListing(response, kind, repo);
        else
            ServeResolve(context, kind, repo, string.Join('/', rest[4..]));
    }

    void ServeListing(HttpListenerResponse response, string kind, string repo)
    {
        string prefix = $"{kind}/{repo}/";
        var names = files.Keys.Where(k => k.StartsWith(prefix)).Select(k => $"{{\"rfilename\": \"{k[prefix.Length..]}\"}}");
        byte[] body = Encoding.UTF8.GetBytes($"{{\"id\": \"{repo}\", \"siblings\": [{string.Join(", ", names)}]}}");
        response.ContentType = "application/json";
        response.OutputStream.Write(body);
        Finish(response, 200);
    }

    void ServeResolve(HttpListenerContext context, string kind, string repo, string file)
    {
        string key = $"{kind}/{repo}/{file}";
        if (!files.TryGetValue(key, out HostedFile? hosted))
        {
            Finish(context.Response, 404);
            return;
        }
        if (!hosted.Lfs)
        {
            ServeBytes(context, hosted);
            return;
        }
        string sha = hosted.AdvertisedSha256 ?? Convert.ToHexStringLower(SHA256.HashData(hosted.Bytes));
        context.Response.Headers["X-Linked-Etag"] = $"\"{sha}\"";
        context.Response.Headers["X-Linked-Size"] = hosted.Bytes.Length.ToString();
        context.Response.Headers["Location"] = $"/cdn/{key}";
        Finish(context.Response, 302);
    }

    void ServeBytes(HttpListenerContext context, HostedFile hosted)
    {
        HttpListenerResponse response = context.Response;
        long from = context.Request.Headers["Range"] is string range ? long.Parse(range["bytes=".Length..].TrimEnd('-')) : 0;
        if (from >= hosted.Bytes.Length && from > 0)
        {
            response.Headers["Content-Range"] = $"bytes */{hosted.Bytes.Length}";
            Finish(response, 416);
            return;
        }
        if (from > 0)
        {
            response.StatusCode = 206;
            response.Headers["Content-Range"] = $"bytes {from}-{hosted.Bytes.Length - 1}/{hosted.Bytes.Length}";
        }
        byte[] body = hosted.Bytes[(int)from..];
        response.ContentLength64 = body.Length;
        if (hosted.CutAfterBytes is int cut && from == 0)
        {
            response.OutputStream.Write(body, 0, cut);       // then drop the connection mid-file
            response.OutputStream.Flush();
            Thread.Sleep(50);
            response.Abort();
            return;
        }
        response.OutputStream.Write(body);
        response.Close();
    }

    static void Finish(HttpListenerResponse response, int status)
    {
        response.StatusCode = status;
        response.Close();
    }

    public void Dispose()
    {
        listener.Stop();
        listener.Close();
        loop.Wait(TimeSpan.FromSeconds(5));
    }
}
