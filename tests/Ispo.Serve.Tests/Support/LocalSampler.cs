// The reference the server must match: Sampler.Generate on the same folder, with the options the server documents
// for a seeded request (log-probs at the sampling temperature, EOS ids from the folder).
using Ispo.Models;
using Ispo.Models.Chat;
using Ispo.Models.Pretrained;
using Ispo.Models.Sampling;
using Ispo.Models.Tokenization;

namespace Ispo.Serve.Tests.Support;

internal static class LocalSampler
{
    public static IReadOnlyList<Sample> Generate(string modelDir, IReadOnlyList<int[]> prompts, int n, int maxTokens, double temperature,
        long seed, double topP = 1.0, CpuKernels cpuKernels = CpuKernels.Auto)
    {
        using var policy = LoadedModel.LoadPretrained(modelDir, cpuKernels: cpuKernels);
        var options = new SamplingOptions
        {
            SamplesPerPrompt = n, MaxNewTokens = maxTokens, Temperature = temperature, TopP = topP, Seed = seed,
            EosTokenIds = policy.EosTokenIds, LogProbTemperature = temperature > 0 ? temperature : 1.0,
        };
        return Sampler.Generate(policy.Model, prompts.Select(p => (IReadOnlyList<int>)p).ToList(), options);
    }

    /// <summary>A text prompt's ids as the server encodes /v1/completions text.</summary>
    public static int[] Encode(string modelDir, string text)
    {
        using var policy = LoadedModel.LoadPretrained(modelDir);
        return new RawFormat().Encode(policy.Tokenizer, [ChatMessage.User(text)]);
    }

    /// <summary>A conversation's ids in the folder's chat format, as `ispo train` and the server render it.</summary>
    public static int[] EncodeChat(string modelDir, IReadOnlyList<ChatMessage> messages)
    {
        using var policy = LoadedModel.LoadPretrained(modelDir);
        var tokenizer = (ByteLevelBpeTokenizer)policy.Tokenizer;
        return ChatFormats.FromTokenizerConfig(tokenizer.Config).Encode(tokenizer, messages);
    }
}
