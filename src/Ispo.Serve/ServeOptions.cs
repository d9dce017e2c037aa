// Everything `ispo serve` can be told, with every default; Validate names each bad value.
using System.Net;
using Ispo.Models;

namespace Ispo.Serve;

public sealed record ServeOptions
{
    public required string ModelDir { get; init; }
    /// <summary>An IP address, or localhost. Anything but loopback needs <see cref="ApiKey"/>.</summary>
    public string Host { get; init; } = "127.0.0.1";
    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; init; } = 8000;
    /// <summary>Clients send it as "Authorization: Bearer KEY"; null = no check (loopback only).</summary>
    public string? ApiKey { get; init; }
    /// <summary>The name /v1/models lists and requests may give; the model folder's name when null.</summary>
    public string? ServedModelName { get; init; }
    /// <summary>Requests waiting for a batch; one more is answered 429.</summary>
    public int MaxQueuedRequests { get; init; } = 256;
    /// <summary>Rows (prompts × n) one sampler call decodes at most; a larger request is refused (400).</summary>
    public int MaxBatchRows { get; init; } = 64;
    /// <summary>A request body larger than this is answered 413.</summary>
    public long MaxRequestBytes { get; init; } = 8L << 20;
    /// <summary>How long the worker waits for more requests before it starts a batch that is not full (a full one
    /// starts at once): concurrent clients then share batches instead of taking turns.</summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(20);
    /// <summary>Seeds the server's seed stream: each batch of requests without a seed takes the next value.</summary>
    public long? Seed { get; init; }
    /// <summary>Off: libtorch's own operations only, as a recipe's model.cpu_kernels: off (a trainer whose rollouts this
    /// server samples should serve with the kernels it samples with, or the digits differ). Reloads keep it.</summary>
    public CpuKernels CpuKernels { get; init; } = CpuKernels.Auto;
    /// <summary>On Ctrl-C the running batch has this long to finish before its connections are dropped.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(60);

    public ServeOptions Validate()
    {
        Require(!string.IsNullOrWhiteSpace(ModelDir), "--model", "a model folder");
        Require(Port is >= 0 and <= 65535, "--port", "in [0, 65535]");
        Require(MaxQueuedRequests >= 1, "--max-queue", ">= 1");
        Require(MaxBatchRows >= 1, "--max-batch-rows", ">= 1");
        Require(MaxRequestBytes >= 1024, "--max-request-bytes", ">= 1024");
        Require(BatchWindow >= TimeSpan.Zero, "--batch-window-ms", ">= 0");
        Require(ApiKey is null || ApiKey.Length > 0, "--api-key", "non-empty");
        IPAddress address = Address(); // throws on a bad host
        if (!IPAddress.IsLoopback(address) && ApiKey is null)
            throw new ArgumentException($"binding {Host} (not loopback) needs an API key: give --api-key or set ISPO_API_KEY");
        return this;

        static void Require(bool ok, string option, string expected)
        {
            if (!ok) throw new ArgumentException($"{option} must be {expected}");
        }
    }

    /// <summary>The address Kestrel listens on; "localhost" is IPv4 loopback, so a free port (0) can be bound.</summary>
    public IPAddress Address() =>
        Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : IPAddress.TryParse(Host, out IPAddress? address) ? address
        : throw new ArgumentException($"--host must be an IP address or localhost (got '{Host}')");

    public string ModelName => ServedModelName ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(ModelDir)));
}
