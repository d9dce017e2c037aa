// `ispo serve` as an object: loads the model, starts the batch worker and Kestrel on one address, and stops
// gracefully (Ctrl-C, SIGTERM or DisposeAsync): new requests get 503, the running batch answers its clients
// within ShutdownTimeout, queued requests get 503.
using Ispo.Serve.Endpoints;
using Ispo.Serve.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Ispo.Serve;

public sealed class ServeHost : IAsyncDisposable
{
    readonly WebApplication app;
    readonly BatchWorker worker;
    readonly ServeOptions options;

    ServeHost(WebApplication app, BatchWorker worker, ServeOptions options, Uri address)
    {
        this.app = app;
        this.worker = worker;
        this.options = options;
        BaseAddress = address;
    }

    /// <summary>Where it listens, e.g. http://127.0.0.1:8000/ (the bound port when options asked for 0).</summary>
    public Uri BaseAddress { get; }
    public string ModelName => options.ModelName;
    /// <summary>Decode batches started so far (a seeded request is one; seedless requests join running ones).</summary>
    public long BatchesRun => worker.BatchesRun;
    /// <summary>Requests accepted and not yet started (tests).</summary>
    internal int Queued => worker.Queued;
    /// <summary>Whether the model served now runs Ispo's CPU kernels (tests).</summary>
    internal bool UsesCpuKernels => worker.Model.Policy.Model.UsesCpuKernels;

    public static async Task<ServeHost> StartAsync(ServeOptions options, CancellationToken cancel = default)
    {
        options.Validate();
        var worker = new BatchWorker(ServedModel.Load(options.ModelDir, options.CpuKernels), options);
        try
        {
            WebApplication app = Build(options, worker);
            await app.StartAsync(cancel);
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new ServeHost(app, worker, options, new Uri(address.TrimEnd('/') + "/"));
        }
        catch
        {
            worker.Dispose();
            throw;
        }
    }

    static WebApplication Build(ServeOptions options, BatchWorker worker)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = options.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(options.Address(), options.Port);
            k.Limits.MaxRequestBodySize = options.MaxRequestBytes;
            k.AddServerHeader = false;
        });
        WebApplication app = builder.Build();
        app.Lifetime.ApplicationStopping.Register(worker.Close);
        app.Use(RequestGuards.ApiKey(options.ApiKey));
        var context = new ServeContext(options, worker);
        RouteGroupBuilder routes = app.MapGroup("");
        routes.AddEndpointFilter(RequestGuards.Errors);
        OpenAiEndpoints.Map(routes, context);
        EngineEndpoints.Map(routes, context);
        return app;
    }

    /// <summary>Returns once Ctrl-C or SIGTERM has stopped the server.</summary>
    public Task WaitForShutdownAsync(CancellationToken cancel = default) => app.WaitForShutdownAsync(cancel);

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        worker.Close();
        // A batch still decoding past the timeout cannot be interrupted: leave its model to the process exit.
        if (worker.Join(options.ShutdownTimeout)) worker.Dispose();
        await app.DisposeAsync();
    }
}
