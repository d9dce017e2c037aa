using Ispo.Training.Evaluation;

namespace Ispo.Training.Tests.Evaluation;

public class SampleLogTests
{
    static readonly SampleRecord Record = new("math500", 3, "test/x.json", 1, "5", "so \\boxed{5}", "5", true, 12, false);

    [Fact]
    public void Round_trips_records_with_snake_case_fields()
    {
        using var dir = new TempDir();
        SampleLog.WriteAll(dir.File("s.jsonl"), [Record, Record with { Extracted = null, Correct = false }]);

        Assert.Contains("\"problem_index\":3", File.ReadAllText(dir.File("s.jsonl")));
        Assert.Equal([Record, Record with { Extracted = null, Correct = false }], SampleLog.Read(dir.File("s.jsonl")));
    }

    [Fact]
    public void A_broken_line_before_the_end_is_an_error_with_its_number()
    {
        using var dir = new TempDir();
        File.WriteAllLines(dir.File("s.jsonl"), ["{broken", Record.ToJsonLine()]);

        var error = Assert.Throws<InvalidDataException>(() => SampleLog.Read(dir.File("s.jsonl")));
        Assert.Contains("s.jsonl:1", error.Message);
    }
}
