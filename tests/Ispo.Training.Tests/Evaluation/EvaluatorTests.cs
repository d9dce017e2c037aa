using System.Text.Json.Nodes;
using Ispo.Training.Data;
using Ispo.Training.Evaluation;

namespace Ispo.Training.Tests.Evaluation;

public class EvaluatorTests
{
    static Dataset Benchmark(string name, int problems) =>
        new(name, Enumerable.Range(0, problems)
            .Select(i => new MathProblem($"{name}-{i}", $"problem {i}", "right", new Dictionary<string, string>())).ToList());

    static readonly Dataset[] Benchmarks = [Benchmark("alpha", 5), Benchmark("beta", 3)];

    static EvaluationResults Run(FakeGenerator generator, string? outDir, bool resume = false, int n = 4) =>
        new Evaluator(generator, FakeGenerator.Verify,
                new EvalOptions { SamplesPerProblem = n, ProblemsPerBatch = 2, OutputDir = outDir, Resume = resume })
            .Run(Benchmarks);

    [Fact]
    public void Metrics_follow_the_generated_verdicts()
    {
        EvaluationResults results = Run(new FakeGenerator(), outDir: null);

        // alpha, problems 0..4 × samples 0..3: correct unless (p+s)%3==0 or (p+s)%5==0.
        var correct = from p in Enumerable.Range(0, 5) from s in Enumerable.Range(0, 4)
                      select (p + s) % 5 != 0 && (p + s) % 3 != 0;
        Assert.Equal(correct.Count(c => c) / 20.0, results["alpha"].PassAt1, 12);
        Assert.Equal(4, results["alpha"].SamplesPerProblem);
        Assert.Equal(5, results["alpha"].Problems);
        Assert.Equal((results["alpha"].PassAt1 + results["beta"].PassAt1) / 2, results.Average.PassAt1, 12);
        Assert.Equal(1.0, results["alpha"].PassAt[4], 12);     // every problem has a right sample among 4
    }

    [Fact]
    public void Writes_results_json_markdown_and_samples()
    {
        using var dir = new TempDir();
        EvaluationResults results = Run(new FakeGenerator(), dir.Path);

        var json = JsonNode.Parse(File.ReadAllText(dir.File("results.json")))!;
        Assert.Equal(results["beta"].PassAt1, (double)json["benchmarks"]!["beta"]!["pass@1"]!, 12);
        Assert.Equal(3, (int)json["benchmarks"]!["beta"]!["problems"]!);
        Assert.Equal(4, (int)json["benchmarks"]!["beta"]!["samples"]!);
        Assert.NotNull(json["benchmarks"]!["alpha"]!["pass@k"]!["pass@4"]);
        Assert.NotNull(json["average"]!["pass@1"]);
        Assert.Contains("| alpha | 5 | 4 |", File.ReadAllText(dir.File("results.md")));
        var samples = SampleLog.Read(dir.File("samples.jsonl"));
        Assert.Equal(32, samples.Count);
        Assert.Contains(samples, s => s.Extracted is null);
        Assert.Equal("alpha-1", samples[4].ProblemId);
    }

    [Fact]
    public void Resume_after_an_interruption_gives_the_same_files_and_generates_only_the_rest()
    {
        using var whole = new TempDir();
        using var interrupted = new TempDir();
        Run(new FakeGenerator(), whole.Path);

        Assert.Throws<OperationCanceledException>(() => Run(new FakeGenerator(failAfterCalls: 3), interrupted.Path));
        File.AppendAllText(interrupted.File("samples.jsonl"), "{\"benchmark\": \"alp");   // a half-written line
        var resumed = new FakeGenerator();
        Run(resumed, interrupted.Path, resume: true);

        Assert.Equal(3 * 4, resumed.CompletionsGenerated);   // alpha (3 batches) was done; beta remains
        foreach (string file in new[] { "samples.jsonl", "results.json", "results.md" })
            Assert.Equal(File.ReadAllText(whole.File(file)), File.ReadAllText(interrupted.File(file)));
    }

    [Fact]
    public void Resume_with_more_samples_asks_only_for_the_new_indices()
    {
        using var dir = new TempDir();
        Run(new FakeGenerator(), dir.Path, n: 2);
        var more = new FakeGenerator();

        EvaluationResults results = Run(more, dir.Path, resume: true, n: 4);

        Assert.All(more.Requests, r => Assert.Equal([2, 3], r.SampleIndices));
        Assert.Equal(4, results["alpha"].SamplesPerProblem);
    }

    [Fact]
    public void Resume_over_other_problems_is_an_error()
    {
        using var dir = new TempDir();
        Run(new FakeGenerator(), dir.Path);
        var renamed = new Dataset("alpha", Benchmark("alpha", 5).Problems.Select(p => p with { Id = "other" }).ToList());

        var evaluator = new Evaluator(new FakeGenerator(), FakeGenerator.Verify,
            new EvalOptions { SamplesPerProblem = 4, OutputDir = dir.Path, Resume = true });

        var error = Assert.Throws<InvalidOperationException>(() => evaluator.Run([renamed]));
        Assert.Contains("cannot resume", error.Message);
    }

    [Fact]
    public void Resume_under_other_settings_is_refused_naming_them()
    {
        using var dir = new TempDir();
        var settings = new Dictionary<string, string> { ["--model"] = "a", ["--seed"] = "0", ["--temperature"] = "0.6" };
        new Evaluator(new FakeGenerator(), FakeGenerator.Verify, new EvalOptions { OutputDir = dir.Path, Settings = settings }).Run([Benchmark("alpha", 3)]);

        var changed = new Dictionary<string, string>(settings) { ["--model"] = "b", ["--seed"] = "1" };
        var generator = new FakeGenerator();
        var error = Assert.Throws<InvalidOperationException>(() => new Evaluator(generator, FakeGenerator.Verify,
            new EvalOptions { OutputDir = dir.Path, Settings = changed, Resume = true }).Run([Benchmark("alpha", 3)]));
        Assert.Contains("--model b (the samples have a); --seed 1 (the samples have 0)", error.Message);
        Assert.Empty(generator.Requests);
        new Evaluator(new FakeGenerator(), FakeGenerator.Verify, new EvalOptions { OutputDir = dir.Path, Settings = settings, Resume = true })
            .Run([Benchmark("alpha", 3)]);
    }

    [Fact]
    public void A_planted_samples_link_is_not_written_through()
    {
        using var dir = new TempDir();
        string victim = Path.Combine(dir.Path, "victim.txt");
        File.WriteAllText(victim, "keep me");
        File.CreateSymbolicLink(Path.Combine(dir.Path, Evaluator.SamplesFileName), victim);
        Run(new FakeGenerator(), dir.Path);
        Assert.Equal("keep me", File.ReadAllText(victim));
        Assert.Null(new FileInfo(Path.Combine(dir.Path, Evaluator.SamplesFileName)).LinkTarget);
    }

    [Fact]
    public void Prompts_are_rendered_with_the_template()
    {
        var generator = new FakeGenerator();
        Run(generator, outDir: null, n: 1);

        Assert.Equal("problem 0\nPlease reason step by step, and put your final answer within \\boxed{}.", generator.Requests[0].Prompt.UserText);
    }
}
