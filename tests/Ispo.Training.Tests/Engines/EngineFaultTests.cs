using System.Net;
using System.Net.Http.Headers;
using Ispo.Models.Pretrained;
using Ispo.Serve;
using Ispo.Training.Engines;
using Ispo.Training.Runs;
using Ispo.Training.Trainer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Ispo.Training.Tests.Engines.OpenAiRolloutEngineTests;

namespace Ispo.Training.Tests.Engines;

/// <summary>Engines that fail the way real ones do, on loopback: connections dropped mid-response, an engine that restarts
/// between steps (and so forgets the weights it was sent), one that stays down. A run either comes out exactly as the
/// local sampler's, or stops with an error naming the engine and resumes cleanly once the engine is back.</summary>
public sealed class EngineFaultTests : IDisposable
{
    readonly string root = Directory.CreateTempSubdirectory("ispo-faults-").FullName;
    readonly string model;

    public EngineFaultTests()
    {
        model = Path.Combine(root, "tiny");
        ModelInit.Create(ModelInit.Preset("tiny"), model, 3);
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    static ServeOptions Serving(string model, int port = 0) => new() { ModelDir = model, Port = port, BatchWindow = TimeSpan.FromMilliseconds(5), Seed = 1 };

    static string[] Remote(Uri endpoint, string sync) =>
        ["rollout.engine=openai", $"rollout.endpoints=[\"{endpoint}\"]", $"rollout.weight_sync={sync}", "rollout.retry_delay_s=0.05", "rollout.max_retries=6"];

    [Fact]
    public async Task ConnectionsDroppedMidResponseAreRetriedAndTheRunTrainsAsTheLocalOne()
    {
        await using ServeHost server = await ServeHost.StartAsync(Serving(model));
        await using FlakyFront front = await FlakyFront.StartAsync(server.BaseAddress, completion => completion is 1 or 2 or 4);
        string local = TrainIn(root, model, "local");
        string remote = TrainIn(root, model, "remote", Remote(front.BaseAddress, "disk"));
        AssertTrainsAlike(local, remote);
        Assert.Equal(3, front.Dropped);
    }

    [Fact]
    public async Task AnEngineDownBrieflyBetweenStepsIsWaitedForAndResyncedAndTheRunTrainsAsTheLocalOne()
    {
        string local = TrainIn(root, model, "local");
        ServeHost first = await ServeHost.StartAsync(Serving(model));
        int port = first.BaseAddress.Port;
        (RlRun run, LoadedModel policy) = NewRun(root, model, "remote", Remote(first.BaseAddress, "disk"));
        using (policy)
        using (RlRun.Session session = run.Start())
        {
            session.Step();
            await first.DisposeAsync();                     // down: the next step's first requests are refused
            Task<ServeHost> restart = Task.Run(async () =>
            {
                await Task.Delay(300);
                return await ServeHost.StartAsync(Serving(model, port)); // back, on the weights it was started with
            });
            session.Step();
            session.Step();
            session.Finish(cancelled: false);
            await (await restart).DisposeAsync();
        }
        AssertTrainsAlike(local, RunDirectory.Open(Path.Combine(root, "remote")).Root);
    }

    /// <summary>An engine up again before the next step, on the weights it was started with: no dropped connection and no
    /// error. With LoRA sync it no longer knows the adapter (a 404 tells); with disk sync only /get_model_info tells.</summary>
    [Theory]
    [InlineData("lora")]
    [InlineData("disk")]
    public async Task AnEngineRestartedBetweenStepsIsResyncedAndTheRunTrainsAsTheLocalOne(string sync)
    {
        string[] lora = sync == "lora" ? [Lora] : [];
        string local = TrainIn(root, model, "local", lora);
        ServeHost first = await ServeHost.StartAsync(Serving(model));
        int port = first.BaseAddress.Port;
        (RlRun run, LoadedModel policy) = NewRun(root, model, "remote", [.. lora, .. Remote(first.BaseAddress, sync)]);
        using (policy)
        using (RlRun.Session session = run.Start())
        {
            session.Step();
            await first.DisposeAsync();
            await using ServeHost second = await ServeHost.StartAsync(Serving(model, port));
            session.Step();
            session.Step();
            session.Finish(cancelled: false);
        }
        AssertTrainsAlike(local, RunDirectory.Open(Path.Combine(root, "remote")).Root);
    }

    [Fact]
    public async Task AnEngineThatStaysDownStopsTheRunWithAClearErrorAndTheRunResumesOnceItIsBack()
    {
        string local = TrainIn(root, model, "local", "run.checkpoint_every=1");
        ServeHost first = await ServeHost.StartAsync(Serving(model));
        int port = first.BaseAddress.Port;
        string[] remote = ["run.checkpoint_every=1", .. Remote(first.BaseAddress, "disk"), "rollout.max_retries=2"];
        (RlRun run, LoadedModel policy) = NewRun(root, model, "remote", remote);
        using (policy)
        {
            RlRun.Session session = run.Start();
            session.Step();
            await first.DisposeAsync();
            var e = Assert.Throws<RolloutEngineException>(session.Step);
            Assert.Contains($"127.0.0.1:{port}", e.Message);
            Assert.Contains("unreachable", e.Message);
            session.Dispose();
        }
        string dir = Path.Combine(root, "remote");
        Assert.Single(RunDirectory.Open(dir).ReadMetrics()); // the failed step logged nothing

        await using ServeHost second = await ServeHost.StartAsync(Serving(model, port));
        (RlRun again, LoadedModel policy2) = NewRun(root, model, "remote", remote);
        using (policy2) Assert.Equal(3, again.Execute(resume: true).Steps);
        AssertTrainsAlike(local, dir);
    }

    /// <summary>An HTTP front for an engine that forwards every request, but answers the chosen completion requests (numbered
    /// from 1) with half of the engine's response and then closes the connection.</summary>
    sealed class FlakyFront : IAsyncDisposable
    {
        readonly WebApplication app;
        readonly HttpClient engine = new() { Timeout = TimeSpan.FromMinutes(2) };
        int completions, dropped;

        FlakyFront(WebApplication app, Uri address) => (this.app, BaseAddress) = (app, address);

        public Uri BaseAddress { get; }
        public int Dropped => Volatile.Read(ref dropped);

        public static async Task<FlakyFront> StartAsync(Uri backend, Func<int, bool> drop)
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            WebApplication app = builder.Build();
            FlakyFront? front = null;
            app.Run(async http =>
            {
                using var body = new MemoryStream();
                await http.Request.Body.CopyToAsync(body);
                string path = http.Request.Path + http.Request.QueryString;
                using var request = new HttpRequestMessage(new HttpMethod(http.Request.Method), new Uri(backend, path.TrimStart('/')));
                if (body.Length > 0 || HttpMethods.IsPost(http.Request.Method))
                {
                    request.Content = new ByteArrayContent(body.ToArray());
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(http.Request.ContentType ?? "application/json");
                }
                using HttpResponseMessage answer = await front!.engine.SendAsync(request);
                byte[] bytes = await answer.Content.ReadAsByteArrayAsync();
                http.Response.StatusCode = (int)answer.StatusCode;
                http.Response.ContentType = answer.Content.Headers.ContentType?.ToString();
                http.Response.ContentLength = bytes.Length;
                int n = path.StartsWith("/v1/completions", StringComparison.Ordinal) ? Interlocked.Increment(ref front.completions) : 0;
                if (n > 0 && drop(n))
                {
                    Interlocked.Increment(ref front.dropped);
                    await http.Response.Body.WriteAsync(bytes.AsMemory(0, bytes.Length / 2));
                    await http.Response.Body.FlushAsync();
                    http.Abort();
                    return;
                }
                await http.Response.Body.WriteAsync(bytes);
            });
            await app.StartAsync();
            string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            front = new FlakyFront(app, new Uri(address.TrimEnd('/') + "/"));
            return front;
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
            engine.Dispose();
        }
    }
}
