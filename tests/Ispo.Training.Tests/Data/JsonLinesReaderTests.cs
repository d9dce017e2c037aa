using Ispo.Training.Data;

namespace Ispo.Training.Tests.Data;

public class JsonLinesReaderTests
{
    [Fact]
    public void A_malformed_line_is_reported_with_file_and_line_number()
    {
        using var dir = new TempDir();
        string path = dir.File("bad.jsonl");
        File.WriteAllText(path, "{\"problem\": \"a\", \"answer\": \"1\"}\n\n{\"problem\": \"b\", \n");

        var error = Assert.Throws<DatasetFormatException>(() => ProblemMapper.Load(path));

        Assert.Contains($"{path}:3", error.Message);
        Assert.Contains("malformed JSON", error.Message);
    }

    [Fact]
    public void A_line_that_is_not_an_object_is_an_error()
    {
        using var dir = new TempDir();
        string path = dir.File("list.jsonl");
        File.WriteAllText(path, "[1, 2]\n");

        var error = Assert.Throws<DatasetFormatException>(() => JsonLinesReader.Read(path).ToList());
        Assert.Contains($"{path}:1", error.Message);
    }

    [Fact]
    public void Json_array_files_load_like_json_lines()
    {
        using var dir = new TempDir();
        string path = dir.File("set.json");
        File.WriteAllText(path, """[{"id": "a", "prompt": "p1", "answer": "1"}, {"id": "b", "prompt": "p2", "answer": "2"}]""");

        var problems = ProblemMapper.Load(path);

        Assert.Equal(["a", "b"], problems.Select(p => p.Id));
        Assert.Equal("p2", problems[1].Problem);
    }
}
