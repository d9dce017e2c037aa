// What the Hub tells about a file before its bytes arrive (size, sha256 of LFS files) and the check against it.
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Ispo.Training.Hub;

/// <summary>Expected size and sha256 (lower-case hex) when the server gave them.</summary>
internal sealed record FileIntegrity(long? Size, string? Sha256)
{
    /// <summary>
    /// Reads X-Linked-Size / X-Linked-Etag (set on the Hub's resolve response of LFS files; the etag is the sha256)
    /// from any hop, falling back to a 64-hex ETag (a mirror serving LFS files directly).
    /// </summary>
    public static FileIntegrity From(IEnumerable<HttpResponseMessage> hops)
    {
        long? size = null;
        string? sha = null;
        foreach (HttpResponseMessage hop in hops)
        {
            size ??= Header(hop.Headers, "X-Linked-Size") is string s && long.TryParse(s, out long n) ? n : null;
            sha ??= AsSha256(Header(hop.Headers, "X-Linked-Etag")) ?? AsSha256(hop.Headers.ETag?.Tag);
        }
        return new FileIntegrity(size, sha);
    }

    /// <summary>Throws when the finished file has the wrong size or hash; the caller deletes it.</summary>
    public void Check(string file, string description)
    {
        long length = new FileInfo(file).Length;
        if (Size is long expected && length != expected)
            throw new HubException($"{description}: size mismatch, expected {expected} bytes, got {length}");
        if (Sha256 is null)
            return;
        using FileStream stream = File.OpenRead(file);
        string actual = Convert.ToHexStringLower(SHA256.HashData(stream));
        if (actual != Sha256)
            throw new HubException($"{description}: checksum mismatch, expected sha256 {Sha256}, got {actual}");
    }

    static string? Header(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    static string? AsSha256(string? etag)
    {
        string? tag = etag?.Replace("W/", "").Trim().Trim('"').ToLowerInvariant();
        return tag is { Length: 64 } && tag.All(char.IsAsciiHexDigit) ? tag : null;
    }
}
