// `ispo model download REPO [--revision R] [--cache-dir D]`: fetches a model (or dataset) repository from the Hugging
// Face Hub into the cache, resuming partial files; HF_TOKEN for gated repos, HF_ENDPOINT (or --endpoint) for a mirror.
using System.CommandLine;
using Ispo.Training.Hub;

namespace Ispo.Cli.Commands;

public static class ModelDownloadCommand
{
    public static Command Create()
    {
        var repo = new Argument<string>("repo") { Description = "Hub repository id, e.g. Qwen/Qwen2.5-Math-1.5B" };
        var revision = new Option<string>("--revision") { Description = "Branch, tag or commit", DefaultValueFactory = _ => "main" };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Cache directory (default $ISPO_CACHE or ~/.cache/ispo/hub)" };
        var endpoint = new Option<string?>("--endpoint") { Description = "Hub endpoint (default $HF_ENDPOINT or https://huggingface.co)" };
        var dataset = new Option<bool>("--dataset") { Description = "Download a dataset repository (all files)" };
        var all = new Option<bool>("--all") { Description = "All files of a model repository, not only config, weights and tokenizer" };
        var command = new Command("download", "Download a model from the Hugging Face Hub into the local cache.");
        command.Arguments.Add(repo);
        foreach (Option option in new Option[] { revision, cacheDir, endpoint, dataset, all })
            command.Options.Add(option);
        command.SetAction(parse =>
        {
            TextWriter output = parse.InvocationConfiguration.Output, error = parse.InvocationConfiguration.Error;
            try
            {
                bool isDataset = parse.GetValue(dataset);
                var hubRepo = new HubRepo(parse.GetValue(repo)!, isDataset ? HubRepoType.Dataset : HubRepoType.Model, parse.GetValue(revision)!);
                using var client = new HubClient(HubOptions.FromEnvironment(parse.GetValue(cacheDir), parse.GetValue(endpoint)));
                Func<string, bool>? include = isDataset || parse.GetValue(all) ? null : HubResolver.IsModelFile;
                var progress = new Progress<string>(file => output.WriteLine($"  {file}"));
                string dir = client.DownloadRepoAsync(hubRepo, include, progress).GetAwaiter().GetResult();
                output.WriteLine(dir);
                return 0;
            }
            catch (Exception e) when (e is HubException or ArgumentException or IOException)
            {
                error.WriteLine($"error: {e.Message}");
                return 1;
            }
        });
        return command;
    }
}
