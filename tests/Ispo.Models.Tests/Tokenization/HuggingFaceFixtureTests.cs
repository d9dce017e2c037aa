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

    static string Text(JsonElement row) => row.GetProperty("text").GetString()!;

    static int[] Ids(JsonElement row) => row.GetProperty("ids").EnumerateArray().Select(x => x.GetInt32()).ToArray();

    /// <summary>Asserts that every row of a fixture file matches (a mismatch is described, a match is null).</summary>
    static void AssertEveryRowMatches(string folder, string file, int minRows, Func<ByteLevelBpeTokenizer, JsonElement, string?> mismatch)
    {
        var tokenizer = ByteLevelBpeTokenizer.Load(Fixture(folder));
        var rows = Rows(folder, file).ToList();
        var mismatches = rows.Select(row => mismatch(tokenizer, row)).OfType<string>().ToList();
        Assert.True(rows.Count >= minRows, $"only {rows.Count} rows");
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {rows.Count} differ; first:\n{string.Join("\n", mismatches.Take(5))}");
    }

    static string? Differ<T>(string text, T[] expected, T[] actual, string separator) => expected.SequenceEqual(actual) ? null
        : $"{JsonSerializer.Serialize(text)}: HF [{string.Join(separator, expected)}], Ispo [{string.Join(separator, actual)}]";

    [Theory]
    [InlineData("qwen3")]
    [InlineData("llama3.1")]
    public void TextsEncodeToHuggingFacesIds(string folder) =>
        AssertEveryRowMatches(folder, "expected_ids.jsonl", 2000, (tokenizer, row) =>
            Differ(Text(row), Ids(row), tokenizer.Encode(Text(row)), ","));

    /// <summary>Split pieces, in ByteLevel's byte symbols, for texts where astral characters meet others.</summary>
    [Theory]
    [InlineData("qwen3")]
    [InlineData("llama3.1")]
    public void AstralTextsSplitAsHuggingFacesPreTokenizerSplits(string folder) =>
        AssertEveryRowMatches(folder, "expected_pieces.jsonl", 500, (tokenizer, row) =>
            Differ(Text(row), row.GetProperty("pieces").EnumerateArray().Select(p => p.GetString()!).ToArray(),
                tokenizer.PreTokenize(Text(row)).Select(ByteLevelAlphabet.Encode).ToArray(), " | "));

    [Theory]
    [InlineData("qwen3")]
    [InlineData("llama3.1")]
    public void ChatPromptsRenderAndEncodeAsHuggingFaceDoes(string folder) =>
        AssertEveryRowMatches(folder, "expected_chat.jsonl", 200, (tokenizer, row) =>
        {
            var format = ChatFormats.FromTokenizerConfig(tokenizer.Config);
            var messages = row.GetProperty("messages").EnumerateArray()
                .Select(m => new ChatMessage(m.GetProperty("role").GetString()!, m.GetProperty("content").GetString()!)).ToList();
            string rendered = format.Render(messages), expectedRendered = row.GetProperty("rendered").GetString()!;
            return rendered != expectedRendered
                ? $"rendered {JsonSerializer.Serialize(rendered)}, HF {JsonSerializer.Serialize(expectedRendered)}"
                : Differ(rendered, Ids(row), format.Encode(tokenizer, messages), ",");
        });
}
