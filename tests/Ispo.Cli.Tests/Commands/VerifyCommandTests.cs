using System.Text.Json;

namespace Ispo.Cli.Tests.Commands;

public class VerifyCommandTests
{
    static (int Code, string Output, string Error) Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        int code = IspoCli.Run(args, output, error);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>`ispo verify --input` over these lines: exit code, stdout, stderr and the result lines.</summary>
    static (int Code, string Output, string Error, string[] Results) RunFile(params string[] lines)
    {
        string dir = Directory.CreateTempSubdirectory("ispo-verify").FullName;
        string input = Path.Combine(dir, "pairs.jsonl"), output = Path.Combine(dir, "results.jsonl");
        File.WriteAllLines(input, lines);
        var (code, stdout, error) = Run("verify", "--input", input, "--output", output);
        return (code, stdout, error, File.Exists(output) ? File.ReadAllLines(output) : []);
    }

    [Fact]
    public void SinglePairPrintsTheReasonAndExtractedAnswer()
    {
        var (code, output, _) = Run("verify", "--pred", @"So \boxed{\dfrac{1}{2}}.", "--gold", "0.5");
        Assert.Equal(0, code);
        Assert.Equal(@"equal (extracted: \dfrac{1}{2})", output.Trim());
    }

    [Fact]
    public void SinglePairAsJson()
    {
        var (code, output, _) = Run("verify", "--pred", "The answer is 7.", "--gold", "8", "--json");
        Assert.Equal(0, code);
        using var json = JsonDocument.Parse(output);
        Assert.False(json.RootElement.GetProperty("equal").GetBoolean());
        Assert.Equal("not_equal", json.RootElement.GetProperty("reason").GetString());
        Assert.Equal("7", json.RootElement.GetProperty("extracted").GetString());
    }

    [Fact]
    public void StrictModeIgnoresTheLastNumber()
    {
        var (_, output, _) = Run("verify", "--pred", "it is 7", "--gold", "7", "--mode", "Strict", "--json");
        Assert.Contains("\"reason\":\"no_answer\"", output);
        Assert.Contains("\"extracted\":null", output);
    }

    [Fact]
    public void AnOutputThatRestatesTheQuestionGetsNoCredit()
    {
        string[] pair = ["verify", "--pred", @"We need to simplify $\frac{4}{8}$.", "--gold", @"\frac{1}{2}", "--json"];
        Assert.Contains("\"reason\":\"equal\"", Run(pair).Output);
        Assert.Contains("\"reason\":\"question_echo\"", Run([.. pair, "--question", @"Simplify $\frac{4}{8}$."]).Output);
    }

    [Fact]
    public void FileModeReadsTheQuestionAsProblemOrQuestion()
    {
        var (code, stdout, _, results) = RunFile(
            """{"id": 1, "problem": "Compute $2^{10}$.", "pred": "We compute $2^{10}$.", "gold": "1024"}""",
            """{"id": 2, "question": "Compute $2^{10}$.", "pred": "We compute $2^{10}$.", "gold": "1024"}""",
            """{"id": 3, "question": "Compute $2^{10}$.", "pred": "We compute $2^{10} = 1024$.", "gold": "1024"}""",
            """{"id": 4, "problem": 7, "pred": "7", "gold": "7"}""");
        Assert.Equal(0, code);
        Assert.Contains("verified 4 lines (1 bad input)", stdout);
        Assert.Equal(
        [
            """{"id":1,"equal":false,"reason":"question_echo","extracted":"2^{10}"}""",
            """{"id":2,"equal":false,"reason":"question_echo","extracted":"2^{10}"}""",
            """{"id":3,"equal":true,"reason":"equal","extracted":"2^{10} = 1024"}""",
            """{"id":4,"equal":false,"reason":"bad_input","extracted":null}""",
        ], results);
    }

    [Fact]
    public void MissingArgumentsFail()
    {
        var (code, _, error) = Run("verify", "--pred", "1");
        Assert.NotEqual(0, code);
        Assert.Contains("--gold", error);
    }

    [Fact]
    public void FileModeKeepsOrderAndReportsBadLines()
    {
        var (code, stdout, error, results) = RunFile(
            """{"id": 1, "pred": "\\boxed{025}", "gold": "25"}""",
            """{"id": "b", "pred": "Answer: 3", "gold": "4"}""",
            """not json""",
            """{"id": [4], "pred": 5, "gold": "5"}""",
            "",
            """{"pred": "no answer here", "gold": "$\\frac{1}{2}$"}""");
        Assert.Equal(0, code);
        Assert.Contains("line 3:", error);
        Assert.Contains("line 4:", error);
        Assert.Contains("verified 5 lines (2 bad input)", stdout);
        Assert.Equal(
        [
            """{"id":1,"equal":true,"reason":"equal","extracted":"025"}""",
            """{"id":"b","equal":false,"reason":"not_equal","extracted":"3"}""",
            """{"id":null,"equal":false,"reason":"bad_input","extracted":null}""",
            """{"id":[4],"equal":false,"reason":"bad_input","extracted":null}""",
            """{"id":null,"equal":false,"reason":"no_answer","extracted":null}""",
        ], results);
    }

    [Fact]
    public void FileModeVerifiesManyLinesInParallelInOrder()
    {
        string dir = Directory.CreateTempSubdirectory("ispo-verify").FullName;
        string input = Path.Combine(dir, "pairs.jsonl"), output = Path.Combine(dir, "results.jsonl");
        File.WriteAllLines(input, Enumerable.Range(0, 2000).Select(i =>
            JsonSerializer.Serialize(new { id = i, pred = $"so \\boxed{{{i}}}", gold = (i % 3 == 0 ? i + 1 : i).ToString() })));
        Assert.Equal(0, Run("verify", "--input", input, "--output", output).Code);
        string[] results = File.ReadAllLines(output);
        Assert.Equal(2000, results.Length);
        for (int i = 0; i < results.Length; i++)
        {
            using var json = JsonDocument.Parse(results[i]);
            Assert.Equal(i, json.RootElement.GetProperty("id").GetInt32());
            Assert.Equal(i % 3 != 0, json.RootElement.GetProperty("equal").GetBoolean());
        }
    }

    [Fact]
    public void ALoneSurrogateIsOneBadLineNotAnAbortedBatch()
    {
        var (code, stdout, error, results) = RunFile(
            """{"id": 1, "pred": "\\boxed{2}", "gold": "2"}""",
            """{"id": 2, "pred": "\ud800", "gold": "2"}""",
            """{"id": 3, "pred": "\\boxed{\ud800}", "gold": "\ud800"}""",
            """{"id": 4, "pred": "\\boxed{3}", "gold": "2"}""");
        Assert.Equal(0, code);
        Assert.Contains("line 2:", error);
        Assert.Contains("verified 4 lines (2 bad input)", stdout);
        Assert.Equal(4, results.Length);
        Assert.Contains("\"reason\":\"equal\"", results[0]);
        Assert.Equal("""{"id":2,"equal":false,"reason":"bad_input","extracted":null}""", results[1]);
        Assert.Equal("""{"id":3,"equal":false,"reason":"bad_input","extracted":null}""", results[2]);
        Assert.Contains("\"reason\":\"not_equal\"", results[3]);
    }

    [Fact]
    public void APlantedSymlinkAtTheOldTempNameIsNotFollowed()
    {
        string dir = Directory.CreateTempSubdirectory("ispo-verify").FullName;
        string input = Path.Combine(dir, "pairs.jsonl"), output = Path.Combine(dir, "results.jsonl");
        string victim = Path.Combine(dir, "victim.txt");
        File.WriteAllText(victim, "keep me");
        File.CreateSymbolicLink(output + ".tmp", victim);
        File.WriteAllLines(input, ["""{"id": 1, "pred": "\\boxed{2}", "gold": "2"}"""]);
        Assert.Equal(0, Run("verify", "--input", input, "--output", output).Code);
        Assert.Equal("keep me", File.ReadAllText(victim));
        Assert.Single(File.ReadAllLines(output));
        Assert.Empty(Directory.GetFiles(dir, "results.jsonl.tmp-*"));
    }

    [Fact]
    public void MissingInputFileFails()
    {
        var (code, _, error) = Run("verify", "--input", "/no/such/file.jsonl", "--output", Path.GetTempFileName());
        Assert.NotEqual(0, code);
        Assert.Contains("does not exist", error);
    }
}
