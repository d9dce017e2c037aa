// The character-level tokenizer of Ispo's built-in synthetic tasks, written as an ordinary HF byte-level BPE
// tokenizer.json with no merges so it loads through the same path as Qwen's or Llama's. Ids 0-255 are the bytes
// (so ASCII digits, letters, punctuation, space, newline and LaTeX's \ { } ^ _ are one token each, id = ASCII code,
// and any other text still round-trips byte by byte), followed by the special tokens.
using System.Text.Encodings.Web;
using System.Text.Json;
using Ispo.Models.Checkpoints;

namespace Ispo.Models.Tokenization;

public static class CharTokenizer
{
    public const string EndOfText = "<|endoftext|>";
    public const string ImStart = "<|im_start|>";
    public const string ImEnd = "<|im_end|>";
    public const string Pad = "<pad>";

    /// <summary>Special tokens in id order, starting at 256.</summary>
    public static readonly IReadOnlyList<string> SpecialTokens = [EndOfText, ImStart, ImEnd, Pad];

    public const int VocabSize = 256 + 4;

    /// <summary>A ChatML template, so tools that read tokenizer_config.json recognise the format.</summary>
    public const string ChatMlTemplate =
        "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}" +
        "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";

    /// <summary>Writes tokenizer.json and tokenizer_config.json into <paramref name="dir"/> and loads them back.</summary>
    public static ByteLevelBpeTokenizer Save(string dir)
    {
        Directory.CreateDirectory(dir);
        AtomicFile.Write(Path.Combine(dir, ByteLevelBpeTokenizer.FileName), WriteTokenizerJson);
        new TokenizerConfig(EosToken: EndOfText, PadToken: Pad, AdditionalSpecialTokens: [ImStart, ImEnd], ChatTemplate: ChatMlTemplate)
            .Save(Path.Combine(dir, TokenizerConfig.FileName));
        return ByteLevelBpeTokenizer.Load(dir);
    }

    static void WriteTokenizerJson(Stream stream)
    {
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        json.WriteStartObject();
        json.WriteString("version", "1.0");
        json.WriteNull("truncation");
        json.WriteNull("padding");
        json.WriteStartArray("added_tokens");
        for (int i = 0; i < SpecialTokens.Count; i++)
        {
            json.WriteStartObject();
            json.WriteNumber("id", 256 + i);
            json.WriteString("content", SpecialTokens[i]);
            foreach (string flag in new[] { "single_word", "lstrip", "rstrip", "normalized" }) json.WriteBoolean(flag, false);
            json.WriteBoolean("special", true);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteNull("normalizer");
        WriteByteLevel(json, "pre_tokenizer");
        json.WriteNull("post_processor");
        WriteByteLevel(json, "decoder");
        WriteModel(json);
        json.WriteEndObject();
    }

    static void WriteByteLevel(Utf8JsonWriter json, string name)
    {
        json.WriteStartObject(name);
        json.WriteString("type", "ByteLevel");
        json.WriteBoolean("add_prefix_space", false);
        json.WriteBoolean("trim_offsets", false);
        json.WriteBoolean("use_regex", false);
        json.WriteEndObject();
    }

    static void WriteModel(Utf8JsonWriter json)
    {
        json.WriteStartObject("model");
        json.WriteString("type", "BPE");
        json.WriteNull("dropout");
        json.WriteNull("unk_token");
        json.WriteNull("continuing_subword_prefix");
        json.WriteNull("end_of_word_suffix");
        json.WriteBoolean("fuse_unk", false);
        json.WriteBoolean("byte_fallback", false);
        json.WriteBoolean("ignore_merges", false);
        json.WriteStartObject("vocab");
        for (int b = 0; b < 256; b++) json.WriteNumber(ByteLevelAlphabet.ToChar((byte)b).ToString(), b);
        json.WriteEndObject();
        json.WriteStartArray("merges");
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
