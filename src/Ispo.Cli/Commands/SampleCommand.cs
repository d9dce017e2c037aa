// `ispo sample`: draw completions for one prompt; --json prints one deterministic JSON document with every sample's
// prompt and generated ids and the sampler's per-token log-probs and entropies, to audit generation against other tools.
using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using Ispo.Models.Chat;
using Ispo.Models.Pretrained;
using Ispo.Models.Sampling;

namespace Ispo.Cli.Commands;

public static class SampleCommand
{
    public static Command Create()
    {
        var model = new Option<string>("--model") { Description = "Model directory", Required = true };
        var prompt = new Option<string>("--prompt") { Description = "Prompt text (encoded as plain text, after the tokenizer's BOS where it adds one)", Required = true };
        var n = new Option<int>("--n") { Description = "Number of samples", DefaultValueFactory = _ => 1 };
        var temperature = new Option<double>("--temperature") { Description = "Sampling temperature (0 = greedy)", DefaultValueFactory = _ => 1.0 };
        var topP = new Option<double>("--top-p") { Description = "Nucleus mass", DefaultValueFactory = _ => 1.0 };
        var topK = new Option<int>("--top-k") { Description = "Keep the k most likely tokens (0 = off)", DefaultValueFactory = _ => 0 };
        var maxNew = new Option<int>("--max-new-tokens") { Description = "Tokens to generate at most", DefaultValueFactory = _ => 64 };
        var seed = new Option<long>("--seed") { Description = "Sampling seed", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print one JSON document" };
        var cpuKernels = CpuKernelsOption.Create();
        var command = new Command("sample", "Sample completions of a prompt from a model directory.");
        foreach (Option o in new Option[] { model, prompt, n, temperature, topP, topK, maxNew, seed, json, cpuKernels })
            command.Options.Add(o);
        command.SetAction(parse => CommandErrors.Run(parse, () =>
        {
            using var policy = LoadedModel.LoadPretrained(parse.GetValue(model)!, cpuKernels: parse.GetValue(cpuKernels));
            string text = parse.GetValue(prompt)!;
            var options = new SamplingOptions
            {
                SamplesPerPrompt = parse.GetValue(n), Temperature = parse.GetValue(temperature), TopP = parse.GetValue(topP),
                TopK = parse.GetValue(topK), MaxNewTokens = parse.GetValue(maxNew), Seed = parse.GetValue(seed),
                EosTokenIds = policy.EosTokenIds,
            };
            int[] promptIds = new RawFormat().Encode(policy.Tokenizer, [ChatMessage.User(text)]);
            var samples = Sampler.Generate(policy.Model, [promptIds], options);
            var texts = samples.Select(s => policy.Tokenizer.Decode(s.TokenIds, skipSpecial: true)).ToList();
            var output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json)) output.WriteLine(ToJson(parse.GetValue(model)!, policy.Model.UsesCpuKernels, text, promptIds, options, samples, texts));
            else
                for (int i = 0; i < samples.Count; i++)
                    output.WriteLine($"[{i}] ({samples[i].FinishReason.ToString().ToLowerInvariant()}, {samples[i].TokenIds.Length} tokens) {texts[i]}");
            return 0;
        }));
        return command;
    }

    static string ToJson(string model, bool usesCpuKernels, string prompt, int[] promptIds, SamplingOptions o, IReadOnlyList<Sample> samples, IReadOnlyList<string> texts)
    {
        var document = new
        {
            model, uses_cpu_kernels = usesCpuKernels, prompt, seed = o.Seed, temperature = o.Temperature, top_p = o.TopP, top_k = o.TopK, max_new_tokens = o.MaxNewTokens,
            samples = samples.Select((s, i) => new
            {
                index = i, text = texts[i], finish_reason = s.FinishReason.ToString().ToLowerInvariant(),
                prompt_token_ids = promptIds, token_ids = s.TokenIds, logprobs = s.LogProbs, entropies = s.Entropies,
                logprob_sum = s.LogProbs.Sum(x => (double)x),
            }),
        };
        return JsonSerializer.Serialize(document, new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }
}
