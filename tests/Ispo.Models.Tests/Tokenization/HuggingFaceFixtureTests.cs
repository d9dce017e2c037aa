// Ispo's ids against Hugging Face's for thousands of generated strings and chat prompts on real Qwen3 (Qwen2.5's
// tokenizer) and Llama-3.1 tokenizer files (Fixtures/README.md: how the expected ids were made). One test per file,
// reporting how many rows differ and the first few.
using System.Text.Json;
using Ispo.Models.Chat;
using Ispo.Models.Tokenization;

namespace Ispo.Models.Tests.Tokenization;

public class HuggingFaceFixtureTests
{
    static string Fixture(params string[] parts) => Path.Combine([AppContext.BaseDirectory, "Tokenization", "Fixtures", .. parts]);

    static IEnumerable<JsonElement> Rows(string folder, string file) =>
        File.ReadLines(Fixture(folder, file)).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement);

    static int[] Ids(JsonElement row) => row.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToArray();

    [Theory]
    [InlineData("qwen3")]
    [InlineData("llama3.1")]
    public void TextsEncodeToHuggingFacesIds(string folder)
    {
        var tokenizer = ByteLevelBpeTokenizer.Load(Fixture(folder));
        var rows = Rows(folder, "expected_ids.jsonl").ToList();
        var mismatches = rows
            .Select(r => (Text: r.GetProperty("text").GetString()!, Expected: Ids(r)))
            .Select(r => (r.Text, r.Expected, Actual: tokenizer.Encode(r.Text)))
            .Where(r => !r.Expected.SequenceEqual(r.Actual))
            .Select(r => $"{JsonSerializer.Serialize(r.Text)}: HF [{string.Join(",", r.Expected)}], Ispo [{string.Join(",", r.Actual)}]")
            .ToList();
        Assert.True(rows.Count >= 2000, $"only {rows.Count} rows");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {rows.Count} differ; first:\n{string.Join("\n", mismatches.Take(5))}");
    }

    /// <summary>Split pieces, in ByteLevel's byte symbols, for texts where astral characters meet others.</summary>
    [Theory]
    [InlineData("qwen3")]
    [InlineData("llama3.1")]
    public void AstralTextsSplitAsHuggingFacesPreTokenizerSplits(string folder)
    {
        var tokenizer = ByteLevelBpeTokenizer.Load(Fixture(folder));
        var rows = Rows(folder, "expected_pieces.jsonl").ToList();
        var mismatches = rows
            .Select(r => (Text: r.GetProperty("text").GetString()!, Expected: r.GetProperty("pieces").EnumerateArray().Select(p => p.GetString()!).ToArray()))
            .Select(r => (r.Text, r.Expected, Actual: tokenizer.PreTokenize(r.Text).Select(ByteLevelAlphabet.Encode).ToArray()))
            .Where(r => !r.Expected.SequenceEqual(r.Actual))
            .Select(r => $"{JsonSerializer.Serialize(r.Text)}: HF [{string.Join(" | ", r.Expected)}], Ispo [{string.Join(" | ", r.Actual)}]")
            .ToList();
        Assert.True(rows.Count >= 500, $"only {rows.Count} rows");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {rows.Count} differ; first:\n{string.Join("\n", mismatches.Take(5))}");
    }

    [Theory]
    [InlineData("qwen3")]
    [InlineData("llama3.1")]
    public void ChatPromptsRenderAndEncodeAsHuggingFaceDoes(string folder)
    {
        var tokenizer = ByteLevelBpeTokenizer.Load(Fixture(folder));
        var format = ChatFormats.FromTokenizerConfig(tokenizer.Config);
        var rows = Rows(folder, "expected_chat.jsonl").ToList();
        var mismatches = new List<string>();
        foreach (var row in rows)
        {
            var messages = row.GetProperty("messages").EnumerateArray()
                .Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)).ToList();
            string rendered = format.Render(messages), expectedRendered = row.GetProperty("rendered").GetString()!;
            int[] expected = Ids(row), actual = format.Encode(tokenizer, messages);
            if (rendered != expectedRendered) mismatches.Add($"rendered {JsonSerializer.Serialize(rendered)}, HF {JsonSerializer.Serialize(expectedRendered)}");
            else if (!expected.SequenceEqual(actual))
                mismatches.Add($"{JsonSerializer.Serialize(rendered)}: HF [{string.Join(",", expected)}], Ispo [{string.Join(",", actual)}]");
        }
        Assert.True(rows.Count >= 200, $"only {rows.Count} rows");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {rows.Count} differ; first:\n{string.Join("\n", mismatches.Take(5))}");
    }
}
