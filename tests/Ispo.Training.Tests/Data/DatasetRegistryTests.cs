using Ispo.Training.Data;

namespace Ispo.Training.Tests.Data;

public class DatasetRegistryTests
{
    // Each shipped file is parsed once for all the spot checks.
    static readonly System.Collections.Concurrent.ConcurrentDictionary<string, Dataset> Loaded = new();
    static Dataset Shipped(string name) => Loaded.GetOrAdd(name, n => DatasetRegistry.Load(n, RepoPaths.SharedData));

    [Theory]
    [InlineData("math500", 500)]
    [InlineData("aime24", 30)]
    [InlineData("amc23", 40)]
    [InlineData("minerva", 272)]
    [InlineData("olympiadbench", 675)]
    [InlineData("gsm8k", 1319)]
    public void Shipped_benchmarks_load_every_line_with_a_gold_answer(string name, int count)
    {
        Dataset dataset = Shipped(name);

        Assert.Equal(count, dataset.Problems.Count);
        Assert.All(dataset.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Answer)));
        Assert.All(dataset.Problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Problem)));
        Assert.Equal(count, dataset.Problems.Select(p => p.Id).Distinct().Count());
    }

    [Fact]
    public void Math8k_training_set_loads_every_line()
    {
        Dataset dataset = DatasetRegistry.Load("math8k", RepoPaths.SharedData);

        Assert.Equal(8523, dataset.Problems.Count);
        // The published pool has two rows with an empty answer (multiple-choice items); they load as empty gold.
        Assert.Equal(2, dataset.Problems.Count(p => p.Answer.Length == 0));
        Assert.Equal("math", dataset.Problems[0].Metadata["source"]);
    }

    [Theory]
    [InlineData("math500", 0, "test/precalculus/807.json", "\\left( 3, \\frac{\\pi}{2} \\right)")]
    [InlineData("math500", 499, "test/geometry/615.json", "106^\\circ")]
    [InlineData("aime24", 0, "60", "204")]
    [InlineData("aime24", 7, null, "025")]
    [InlineData("aime24", 29, "89", "902")]
    [InlineData("amc23", 0, "0", "27")]
    [InlineData("amc23", 15, null, "-1")]
    [InlineData("amc23", 34, null, "1625")]
    [InlineData("minerva", 0, "0", "1.6")]
    [InlineData("minerva", 1, "1", "4.5e33")]
    [InlineData("minerva", 271, "271", "10.1")]
    [InlineData("olympiadbench", 0, "1606", "2")]
    [InlineData("olympiadbench", 1, null, "\\frac{1}{2 n+2}")]
    [InlineData("olympiadbench", 5, null, "(1,8,19), (2,7,13), (4,5,7)")]
    [InlineData("olympiadbench", 13, null, "69,84")]
    [InlineData("olympiadbench", 674, "3102", "11")]
    [InlineData("gsm8k", 0, "0", "18")]
    [InlineData("gsm8k", 146, "146", "2125")]
    [InlineData("gsm8k", 1318, "1318", "14")]
    [InlineData("math8k", 0, "d10e806e-da93-43fd-a9dd-c5018f143037", "118")]
    public void Gold_answers_match_hand_checked_values(string name, int index, string? id, string gold)
    {
        MathProblem problem = Shipped(name).Problems[index];

        Assert.Equal(gold, problem.Answer);
        if (id is not null)
            Assert.Equal(id, problem.Id);
    }

    [Fact]
    public void Metadata_carries_level_subject_and_answer_type()
    {
        MathProblem math = DatasetRegistry.Load("math500", RepoPaths.SharedData, limit: 1).Problems[0];
        MathProblem olympiad = DatasetRegistry.Load("olympiadbench", RepoPaths.SharedData, limit: 1).Problems[0];

        Assert.Equal("2", math.Metadata["level"]);
        Assert.Equal("Precalculus", math.Metadata["subject"]);
        Assert.Equal("Numerical", olympiad.Metadata["answer_type"]);
    }

    [Fact]
    public void Limit_keeps_the_first_rows()
    {
        Assert.Equal(3, DatasetRegistry.Load("gsm8k", RepoPaths.SharedData, limit: 3).Problems.Count);
    }

    [Fact]
    public void Unknown_name_is_an_error_listing_known_names()
    {
        var error = Assert.Throws<ArgumentException>(() => DatasetRegistry.Get("math5000"));
        Assert.Contains("math5000", error.Message);
        Assert.Contains("math500", error.Message);
    }

    [Fact]
    public void A_missing_file_names_the_places_searched()
    {
        using var dir = new TempDir();
        var error = Assert.Throws<FileNotFoundException>(() => DatasetRegistry.Load("aime25", dir.Path));
        Assert.Contains("aime25.jsonl", error.Message);
    }

    [Fact]
    public void Aime25_loads_when_a_file_is_given()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("aime25.jsonl"), "{\"question\": \"Find x.\", \"answer\": \"70\"}\n");

        MathProblem problem = DatasetRegistry.Load("aime25", dir.Path).Problems.Single();

        Assert.Equal(("Find x.", "70", "0"), (problem.Problem, problem.Answer, problem.Id));
    }
}
