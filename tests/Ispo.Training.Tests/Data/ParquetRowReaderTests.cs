using Ispo.Training.Data;
using Parquet.Serialization;

namespace Ispo.Training.Tests.Data;

public class ParquetRowReaderTests
{
    // Column names as Hugging Face publishes them (OlympiadBench-like list, DAPO-like struct and chat list).
    public sealed class Row
    {
        public int id { get; set; }
        public string? question { get; set; }
        public List<string>? final_answer { get; set; }
        public string? answer_type { get; set; }
    }

    public sealed class Turn { public string? role { get; set; } public string? content { get; set; } }
    public sealed class RewardModel { public string? ground_truth { get; set; } public string? style { get; set; } }
    public sealed class DapoRow
    {
        public List<Turn>? prompt { get; set; }
        public RewardModel? reward_model { get; set; }
    }

    [Fact]
    public async Task Round_trip_with_lists_maps_fields()
    {
        using var dir = new TempDir();
        string path = dir.File("olympiad.parquet");
        Row[] rows =
        [
            new() { id = 7, question = "Find n.", final_answer = ["$2$"], answer_type = "Numerical" },
            new() { id = 9, question = "Find all.", final_answer = ["$1$", "$x^2$"], answer_type = "Expression" },
        ];
        await ParquetSerializer.SerializeAsync(rows, path);

        var problems = DatasetRegistry.LoadFile("olympiadbench", path).Problems;

        Assert.Equal(["7", "9"], problems.Select(p => p.Id));
        Assert.Equal(["2", "1, x^2"], problems.Select(p => p.Answer));
        Assert.Equal("Find all.", problems[1].Problem);
        Assert.Equal("Expression", problems[1].Metadata["answer_type"]);
    }

    [Fact]
    public async Task Round_trip_with_structs_reads_dapo_rows()
    {
        using var dir = new TempDir();
        string path = dir.File("dapo.parquet");
        string prompt = Ispo.Training.Prompts.PromptTemplates.Dapo.Render("Compute 3*4.").UserText;
        DapoRow row = new() { prompt = [new() { role = "user", content = prompt }], reward_model = new() { ground_truth = "12", style = "rule" } };
        await ParquetSerializer.SerializeAsync([row, row, row], path);      // the published file repeats each prompt

        MathProblem problem = DatasetRegistry.LoadFile("dapo-math-17k", path).Problems.Single();

        Assert.Equal(("Compute 3*4.", "12"), (problem.Problem, problem.Answer));
    }

    [Fact]
    public async Task Reads_every_row_group_in_order()
    {
        using var dir = new TempDir();
        string path = dir.File("groups.parquet");
        await ParquetSerializer.SerializeAsync(Rows(0, 3), path);
        await ParquetSerializer.SerializeAsync(Rows(3, 2), path, new Parquet.ParquetOptions { Append = true });

        var problems = ProblemMapper.Load(path, new FieldMapping { AnswerRules = [new(AnswerSource.Field, "answer_type")] });

        Assert.Equal(["0", "1", "2", "3", "4"], problems.Select(p => p.Id));
        Assert.Equal($"{path} row 5", ParquetRowReader.Read(path).Last().Location);
    }

    static Row[] Rows(int first, int count) =>
        Enumerable.Range(first, count).Select(i => new Row { id = i, question = $"q{i}", final_answer = ["1"], answer_type = "x" }).ToArray();

    [Fact]
    public void A_file_that_is_not_parquet_is_a_clear_error()
    {
        using var dir = new TempDir();
        string path = dir.File("broken.parquet");
        File.WriteAllText(path, "not parquet");

        var error = Assert.Throws<DatasetFormatException>(() => ParquetRowReader.Read(path).ToList());
        Assert.Contains(path, error.Message);
    }
}
