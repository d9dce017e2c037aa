using System.Text.Json;

namespace Ispo.Cli.Tests.Commands;

public class TokenizeCommandTests
{
    // Llama-3.1's real tokenizer (cut down, Ispo.Models.Tests/Tokenization/Fixtures); ids from HF's tokenizers.
    static readonly string Llama = Path.Combine(AppContext.BaseDirectory, "Fixtures", "llama3.1");
    static readonly int[] HelloIds = [128000, 9906, 11, 856, 5679, 374, 19369];
    static readonly int[] ChatIds = [128000, 128006, 882, 128007, 271, 3923, 374, 220, 717, 489, 220, 22, 30, 128009, 128006, 78191, 128007, 271];

    static string Messages(string json)
    {
        string path = Path.Combine(Directory.CreateTempSubdirectory("ispo-cli-").FullName, "messages.json");
        File.WriteAllText(path, json);
        return path;
    }

    [Fact]
    public void TextJsonGivesHuggingFacesIdsWithTheBeginOfText()
    {
        var (code, output, err) = CliRun.Run("tokenize", "--model", Llama, "--text", "Hello, my dog is cute", "--json");
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(HelloIds, root.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal(["<|begin_of_text|>", "Hello", ",", "Ġmy", "Ġdog", "Ġis", "Ġcute"], root.GetProperty("tokens").EnumerateArray().Select(x => x.GetString()));
        Assert.Equal(" cute", root.GetProperty("texts")[6].GetString());
    }

    [Fact]
    public void ChatPrintsTheRenderedPromptIdsAndATable()
    {
        string file = Messages("""[{"role": "user", "content": "What is 12 + 7?"}]""");
        var (code, output, err) = CliRun.Run("tokenize", "--model", Llama, "--chat", file);
        Assert.True(code == 0, err);
        Assert.Contains("rendered prompt (llama3):\n<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\nWhat is 12 + 7?<|eot_id|>", output.ReplaceLineEndings("\n"));
        Assert.Contains($"ids ({ChatIds.Length}): [{string.Join(", ", ChatIds)}]", output);
        Assert.Contains("<|start_header_id|>", output);
        Assert.Contains("\\n\\n", output); // the "ĊĊ" token's text, escaped
    }

    [Fact]
    public void ChatJsonAcceptsAMessagesObject()
    {
        string file = Messages("""{"messages": [{"role": "user", "content": "What is 12 + 7?"}]}""");
        var (code, output, err) = CliRun.Run("tokenize", "--model", Llama, "--chat", file, "--json");
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(output).RootElement;
        Assert.Equal(ChatIds, root.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal("llama3", root.GetProperty("format").GetString());
        Assert.StartsWith("<|begin_of_text|><|start_header_id|>user", root.GetProperty("rendered").GetString());
    }

    [Fact]
    public void TokensWithBracketsPrintAsTheyAre()
    {
        var (code, output, err) = CliRun.Run("tokenize", "--model", Llama, "--text", "[/INST] [b]");
        Assert.True(code == 0, err);
        Assert.Contains("[/", output);
        Assert.Contains("]", output);
    }

    [Theory]
    [InlineData("""[{"role": "user"}]""", "messages[0].content")]
    [InlineData("""[{"role": 3, "content": "x"}]""", "messages[0].role")]
    [InlineData("""["hi"]""", "messages[0]")]
    [InlineData("""{"turns": []}""", "expected an array")]
    [InlineData("""[{"role": "user", """, "not valid JSON")]
    public void BadMessagesFilesNameTheFileAndField(string json, string expected)
    {
        string file = Messages(json);
        var (code, _, err) = CliRun.Run("tokenize", "--model", Llama, "--chat", file);
        Assert.Equal(1, code);
        Assert.Contains(file, err);
        Assert.Contains(expected, err);
    }

    [Fact]
    public void NeedsExactlyOneInputAndAnExistingFile()
    {
        Assert.Contains("exactly one of --text or --chat", CliRun.Run("tokenize", "--model", Llama).Err);
        Assert.Contains("exactly one of --text or --chat", CliRun.Run("tokenize", "--model", Llama, "--text", "a", "--chat", "x.json").Err);
        var (code, _, err) = CliRun.Run("tokenize", "--model", Llama, "--chat", "/nonexistent/messages.json");
        Assert.Equal(1, code);
        Assert.Contains("/nonexistent/messages.json", err);
        Assert.Contains("unknown chat format", CliRun.Run("tokenize", "--model", Llama, "--chat", Messages("[]"), "--format", "vicuna").Err);
    }
}
