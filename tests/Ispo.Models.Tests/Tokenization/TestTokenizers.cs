// A small hand-made byte-level BPE tokenizer.json (ids 0-255 = bytes) for tests with hand-checked ids.
using System.Text.Json;
using Ispo.Models.Tokenization;

namespace Ispo.Models.Tests.Tokenization;

static class TestTokenizers
{
    // Merges in rank order; the merged token's id is 256 + rank.
    public static readonly string[][] Merges =
    [
        ["Ġ", "t"],   // 256 Ġt
        ["h", "e"],   // 257 he
        ["t", "he"],  // 258 the
        ["Ġt", "he"], // 259 Ġthe
        ["1", "2"],   // 260 12
        ["Ã", "©"],   // 261 é (UTF-8 C3 A9)
        ["#", "#"],   // 262 ## (a merge line starting with '#' is not a comment)
    ];
    public const int EndOfText = 263, ImStart = 264, ImEnd = 265, Xyz = 266;

    public static Dictionary<string, object?> Json(string pattern, bool arrayMerges = true, bool ignoreMerges = false,
        object? normalizer = null)
    {
        var vocab = new Dictionary<string, int>();
        for (int b = 0; b < 256; b++) vocab[ByteLevelAlphabet.ToChar((byte)b).ToString()] = b;
        for (int i = 0; i < Merges.Length; i++) vocab[Merges[i][0] + Merges[i][1]] = 256 + i;
        vocab["xyz"] = Xyz; // reachable only through ignore_merges
        return new()
        {
            ["version"] = "1.0",
            ["added_tokens"] = new object[]
            {
                new { id = EndOfText, content = "<|endoftext|>", special = true },
                new { id = ImStart, content = "<|im_start|>", special = true },
                new { id = ImEnd, content = "<|im_end|>", special = true },
            },
            ["normalizer"] = normalizer,
            ["pre_tokenizer"] = new
            {
                type = "Sequence",
                pretokenizers = new object[]
                {
                    new { type = "Split", pattern = new { Regex = pattern }, behavior = "Isolated", invert = false },
                    new { type = "ByteLevel", add_prefix_space = false, trim_offsets = false, use_regex = false },
                },
            },
            ["decoder"] = new { type = "ByteLevel" },
            ["model"] = new Dictionary<string, object?>
            {
                ["type"] = "BPE",
                ["ignore_merges"] = ignoreMerges,
                ["vocab"] = vocab,
                ["merges"] = arrayMerges ? Merges : Merges.Select(m => $"{m[0]} {m[1]}").ToArray(),
            },
        };
    }

    public static string Write(string dir, Dictionary<string, object?> json, string? config = null)
    {
        File.WriteAllText(Path.Combine(dir, "tokenizer.json"), JsonSerializer.Serialize(json));
        if (config != null) File.WriteAllText(Path.Combine(dir, "tokenizer_config.json"), config);
        return dir;
    }

    public static ByteLevelBpeTokenizer Qwen2Style(string dir, bool arrayMerges = true) =>
        ByteLevelBpeTokenizer.Load(Write(dir, Json(PreTokenizerPatterns.Qwen2, arrayMerges),
            """{"eos_token": "<|im_end|>", "pad_token": {"content": "<|endoftext|>"}, "bos_token": null}"""));
}
