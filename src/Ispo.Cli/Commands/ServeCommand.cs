// `ispo serve --model DIR`: the model behind an OpenAI-compatible HTTP server (src/Ispo.Serve) until Ctrl-C, which
// lets the running batch answer its clients and turns queued requests away with 503.
using System.CommandLine;
using Ispo.Serve;

namespace Ispo.Cli.Commands;

public static class ServeCommand
{
    public const string ApiKeyVariable = "ISPO_API_KEY";

    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model directory", Required = true };
        var host = new Option<string>("--host") { Description = "Address to bind: an IP or localhost; anything but loopback needs an API key", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "Port (0 = any free port)", DefaultValueFactory = _ => 8000 };
        var apiKey = new Option<string?>("--api-key") { Description = $"Key clients send as 'Authorization: Bearer KEY' (default ${ApiKeyVariable})" };
        var name = new Option<string?>("--served-model-name") { Description = "Model name in /v1/models (default the folder's name)" };
        var maxQueue = new Option<int>("--max-queue") { Description = "Requests waiting for a batch before 429", DefaultValueFactory = _ => 256 };
        var maxRows = new Option<int>("--max-batch-rows") { Description = "Rows (prompts × n) one batch decodes at most", DefaultValueFactory = _ => 64 };
        var maxBytes = new Option<long>("--max-request-bytes") { Description = "Largest request body before 413", DefaultValueFactory = _ => 8L << 20 };
        var window = new Option<int>("--batch-window-ms") { Description = "Wait up to this long for more requests before starting a batch that is not full", DefaultValueFactory = _ => 20 };
        var seed = new Option<long?>("--seed") { Description = "Seeds the seeds of batches whose requests carry none (default random)" };
        var cpuKernels = CpuKernelsOption.Create();
        var command = new Command("serve", "Serve a model over an OpenAI-compatible HTTP API (completions, chat, weight reload).");
        foreach (Option o in new Option[] { model, host, port, apiKey, name, maxQueue, maxRows, maxBytes, window, seed, cpuKernels })
            command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
            var options = new ServeOptions
            {
                ModelDir = parse.GetValue(model)!, Host = parse.GetValue(host)!, Port = parse.GetValue(port),
                ApiKey = parse.GetValue(apiKey) ?? NonEmpty(Environment.GetEnvironmentVariable(ApiKeyVariable)),
                ServedModelName = parse.GetValue(name), MaxQueuedRequests = parse.GetValue(maxQueue), MaxBatchRows = parse.GetValue(maxRows),
                MaxRequestBytes = parse.GetValue(maxBytes), BatchWindow = TimeSpan.FromMilliseconds(parse.GetValue(window)), Seed = parse.GetValue(seed),
                CpuKernels = parse.GetValue(cpuKernels),
            };
            Serve(options, parse.InvocationConfiguration.Output).GetAwaiter().GetResult();
            return 0;
        }));
        return command;
    }

    static async Task Serve(ServeOptions options, TextWriter output)
    {
        await using ServeHost server = await ServeHost.StartAsync(options);
        output.WriteLine($"serving {server.ModelName} at {server.BaseAddress} (OpenAI API under /v1; Ctrl-C stops)");
        await server.WaitForShutdownAsync();
        output.WriteLine("stopped");
    }

    static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
