// SamplerCompletionGenerator on a tiny random model: chat rendering, greedy batching, per-problem sample seeding.
using Ispo.Models.Pretrained;
using Ispo.Models.Tokenization;
using Ispo.Training.Evaluation;
using Ispo.Training.Prompts;

namespace Ispo.Training.Tests.Evaluation;

public sealed class TinyPolicyFixture : IDisposable
{
    readonly TempDir dir = new();
    public LoadedModel Policy { get; }

    public TinyPolicyFixture()
    {
        ModelInit.Create(ModelInit.Preset("tiny"), dir.Path, seed: 5);
        Policy = LoadedModel.LoadPretrained(dir.Path);
    }

    public void Dispose()
    {
        Policy.Dispose();
        dir.Dispose();
    }
}

public class SamplerCompletionGeneratorTests(TinyPolicyFixture fixture) : IClassFixture<TinyPolicyFixture>
{
    static readonly string[] Problems = ["What is 1+1?", "Compute 7*6.", "Solve x^2 = 4 for x > 0. A longer prompt here."];

    static GenerationRequest Request(int problem, params int[] samples) =>
        new("math500", problem, PromptTemplates.QwenMathCot.Render(Problems[problem]), samples);

    SamplerCompletionGenerator Generator(int k = 1, double temperature = 0) =>
        new(fixture.Policy, new GenerationSettings { SamplesPerProblem = k, Temperature = temperature, MaxNewTokens = 12, Seed = 9 });

    [Fact]
    public void Chat_prompts_use_the_tokenizer_configs_format_and_encode_the_problem_as_text()
    {
        ITokenizer tokenizer = fixture.Policy.Tokenizer;
        int[] chat = Generator().EncodePrompt(new RenderedPrompt("a <|im_end|> b", UseChat: true, AnswerFormat.Boxed));
        int[] raw = Generator().EncodePrompt(new RenderedPrompt("a <|im_end|> b", UseChat: false, AnswerFormat.Boxed));
        int imStart = tokenizer.TokenToId("<|im_start|>")!.Value, imEnd = tokenizer.TokenToId("<|im_end|>")!.Value;
        Assert.Equal(imStart, chat[0]);
        Assert.Equal(1, chat.Count(id => id == imEnd));                        // only the template's, after the user turn
        Assert.Equal("a <|im_end|> b", tokenizer.Decode(raw));
        Assert.DoesNotContain(imEnd, raw);
    }

    [Fact]
    public void Greedy_batch_equals_one_problem_at_a_time_and_repeats_for_every_index()
    {
        var generator = Generator();
        var batched = generator.Generate([Request(0, 0), Request(1, 0, 1), Request(2, 0)], default);
        for (int p = 0; p < Problems.Length; p++)
            Assert.Equal(generator.Generate([Request(p, 0)], default)[0][0], batched[p][0]);
        Assert.Equal(batched[1][0], batched[1][1]);
        Assert.All(batched.SelectMany(c => c), c => Assert.InRange(c.TokenCount, 1, 12));
    }

    [Fact]
    public void A_sample_is_the_same_whichever_indices_are_pending()
    {
        var generator = Generator(k: 4, temperature: 1.0);
        var all = generator.Generate([Request(0, 0, 1, 2, 3), Request(1, 0, 1, 2, 3)], default);
        var some = generator.Generate([Request(1, 3, 1)], default);
        Assert.Equal([all[1][3], all[1][1]], some[0]);
        Assert.True(all[0].Select(c => c.Text).Distinct().Count() > 1, "samples of a problem differ");
    }

    [Fact]
    public void Problem_seeds_depend_on_benchmark_and_index_only()
    {
        long a = SamplerCompletionGenerator.ProblemSeed(0, "math500", 3);
        Assert.Equal(a, SamplerCompletionGenerator.ProblemSeed(0, "math500", 3));
        Assert.NotEqual(a, SamplerCompletionGenerator.ProblemSeed(0, "math500", 4));
        Assert.NotEqual(a, SamplerCompletionGenerator.ProblemSeed(0, "aime24", 3));
        Assert.NotEqual(a, SamplerCompletionGenerator.ProblemSeed(1, "math500", 3));
    }
}
