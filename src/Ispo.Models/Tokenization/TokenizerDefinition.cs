// The parts of an HF tokenizer.json that a byte-level BPE tokenizer needs, parsed and validated. Anything the
// loader cannot honour exactly (another model type, a normalizer or pre-tokenizer it does not know) is an error
// naming the field, rather than a tokenizer that silently encodes differently from Hugging Face.
using System.Text;
using System.Text.Json;
using static Ispo.Models.Tokenization.JsonFields;

namespace Ispo.Models.Tokenization;

/// <summary>An entry of tokenizer.json's added_tokens.</summary>
public sealed record AddedToken(int Id, string Content, bool Special);

/// <summary>A pre-tokenizer's split regex and the tokenizer.json field it came from.</summary>
public sealed record SplitPattern(string Regex, string Field);

public sealed record TokenizerDefinition(
    IReadOnlyDictionary<string, int> Vocab,
    IReadOnlyList<(string Left, string Right)> Merges,
    IReadOnlyList<AddedToken> AddedTokens,
    IReadOnlyList<SplitPattern> SplitPatterns,
    NormalizationForm? Normalization,
    bool IgnoreMerges,
    SequenceTemplate PostProcessor)
{
    /// <summary>Ids at or above this are refused: real vocabularies stay far below, and decode tables are sized by the largest id.</summary>
    public const int MaxTokenId = 4_000_000;

    public static TokenizerDefinition Load(string path)
    {
        using var document = ParseFile(path);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object) throw Bad(path, "(root)", "expected an object");
        var model = Required(root, "model", JsonValueKind.Object, path, "model");
        CheckModel(model, path);
        var patterns = new List<SplitPattern>();
        bool byteLevel = ReadPreTokenizer(Optional(root, "pre_tokenizer"), path, "pre_tokenizer", patterns);
        if (!byteLevel && Optional(root, "decoder") is { } decoder && OptionalString(decoder, "type", path, "decoder.type") == "ByteLevel")
            byteLevel = true;
        if (!byteLevel) throw Bad(path, "pre_tokenizer", "only byte-level BPE tokenizers are supported (no ByteLevel pre-tokenizer or decoder found)");
        return new TokenizerDefinition(
            ReadVocab(model, path), ReadMerges(model, path), ReadAddedTokens(root, path), patterns,
            ReadNormalizer(Optional(root, "normalizer"), path, "normalizer"),
            OptionalBool(model, "ignore_merges", false, path, "model.ignore_merges"),
            ReadPostProcessor(Optional(root, "post_processor"), path, "post_processor") ?? SequenceTemplate.None);
    }

    /// <summary>Throws naming the first vocabulary or added-token entry whose id is not below the model's
    /// <paramref name="vocabSize"/>: the embedding has no row for it.</summary>
    public void CheckIdsBelow(int vocabSize, string path)
    {
        var added = AddedTokens.Select((t, i) => (t.Id, Field: $"added_tokens[{i}].id"));
        var vocab = Vocab.Select(kv => (Id: kv.Value, Field: $"model.vocab['{kv.Key}']"));
        foreach (var (id, field) in vocab.Concat(added))
            if (id >= vocabSize)
                throw Bad(path, field, $"id {id} is beyond the model's vocabulary (config.json vocab_size {vocabSize}), whose embedding has no row for it");
    }

    static void CheckModel(JsonElement model, string path)
    {
        string? type = OptionalString(model, "type", path, "model.type");
        if (type is not (null or "BPE")) throw Bad(path, "model.type", $"'{type}' is not supported (expected BPE)");
        foreach (string field in new[] { "continuing_subword_prefix", "end_of_word_suffix" })
            if (OptionalString(model, field, path, $"model.{field}") is { Length: > 0 } value)
                throw Bad(path, $"model.{field}", $"'{value}' is not supported by byte-level BPE");
        if (OptionalBool(model, "byte_fallback", false, path, "model.byte_fallback"))
            throw Bad(path, "model.byte_fallback", "byte_fallback (SentencePiece-style BPE) is not supported");
        if (Optional(model, "dropout") is { ValueKind: JsonValueKind.Number } dropout && dropout.GetDouble() != 0)
            throw Bad(path, "model.dropout", "BPE dropout is not supported");
    }

    static Dictionary<string, int> ReadVocab(JsonElement model, string path)
    {
        var vocab = new Dictionary<string, int>(StringComparer.Ordinal);
        var tokenOfId = new Dictionary<int, string>();
        foreach (var entry in Required(model, "vocab", JsonValueKind.Object, path, "model.vocab").EnumerateObject())
        {
            int id = TokenId(entry.Value, path, $"model.vocab['{entry.Name}']");
            if (!tokenOfId.TryAdd(id, entry.Name))
                throw Bad(path, "model.vocab", $"id {id} is used by both '{tokenOfId[id]}' and '{entry.Name}'");
            vocab[entry.Name] = id;
        }
        for (int b = 0; b < 256; b++)
            if (!vocab.ContainsKey(ByteLevelAlphabet.ToChar((byte)b).ToString()))
                throw Bad(path, "model.vocab", $"lacks the byte-level symbol for byte 0x{b:X2} ('{ByteLevelAlphabet.ToChar((byte)b)}'), so some text could not be encoded");
        return vocab;
    }

    /// <summary>Merges come as "left right" strings (older files) or [left, right] arrays (tokenizers ≥ 0.20).</summary>
    static List<(string, string)> ReadMerges(JsonElement model, string path)
    {
        var merges = new List<(string, string)>();
        if (Optional(model, "merges") is not { } array) return merges;
        if (array.ValueKind != JsonValueKind.Array) throw Bad(path, "model.merges", "expected an array");
        int i = 0;
        foreach (var merge in array.EnumerateArray())
        {
            string field = $"model.merges[{i++}]";
            string[] parts = merge.ValueKind switch
            {
                JsonValueKind.String => merge.GetString()!.Split(' '),
                JsonValueKind.Array => merge.EnumerateArray().Select(p => p.ValueKind == JsonValueKind.String ? p.GetString()! : throw Bad(path, field, "expected strings")).ToArray(),
                _ => throw Bad(path, field, "expected \"a b\" or [\"a\", \"b\"]"),
            };
            if (parts.Length != 2 || parts.Any(p => p.Length == 0 || p.Contains(' ')))
                throw Bad(path, field, "expected exactly two non-empty parts without spaces");
            merges.Add((parts[0], parts[1]));
        }
        return merges;
    }

    static List<AddedToken> ReadAddedTokens(JsonElement root, string path)
    {
        var tokens = new List<AddedToken>();
        if (Optional(root, "added_tokens") is not { } array) return tokens;
        if (array.ValueKind != JsonValueKind.Array) throw Bad(path, "added_tokens", "expected an array");
        int i = 0;
        foreach (var token in array.EnumerateArray())
        {
            string field = $"added_tokens[{i++}]";
            int id = TokenId(Required(token, "id", JsonValueKind.Number, path, field + ".id"), path, field + ".id");
            string content = Required(token, "content", JsonValueKind.String, path, field + ".content").GetString()!;
            if (content.Length == 0) throw Bad(path, field + ".content", "is empty");
            tokens.Add(new AddedToken(id, content, OptionalBool(token, "special", false, path, field + ".special")));
        }
        return tokens;
    }

    static int TokenId(JsonElement value, string path, string field)
    {
        int id = Int(value, path, field);
        return id < MaxTokenId ? id : throw Bad(path, field, $"id {id} is not below {MaxTokenId}");
    }

    /// <summary>Collects split regexes in order; returns whether a ByteLevel pre-tokenizer was seen.</summary>
    static bool ReadPreTokenizer(JsonElement? element, string path, string field, List<SplitPattern> patterns)
    {
        if (element is not { } p) return false;
        string? type = OptionalString(p, "type", path, field + ".type");
        switch (type)
        {
            case "Sequence":
                bool byteLevel = false;
                int i = 0;
                foreach (var inner in Required(p, "pretokenizers", JsonValueKind.Array, path, field + ".pretokenizers").EnumerateArray())
                    byteLevel |= ReadPreTokenizer(inner, path, $"{field}.pretokenizers[{i++}]", patterns);
                return byteLevel;
            case "ByteLevel":
                if (OptionalBool(p, "add_prefix_space", false, path, field + ".add_prefix_space"))
                    throw Bad(path, field + ".add_prefix_space", "true is not supported");
                if (OptionalBool(p, "use_regex", true, path, field + ".use_regex")) patterns.Add(new(PreTokenizerPatterns.Gpt2, field + ".use_regex"));
                return true;
            case "Split":
                patterns.Add(ReadSplit(p, path, field));
                return false;
            default:
                throw Bad(path, field + ".type", $"pre-tokenizer '{type}' is not supported (expected Sequence, Split or ByteLevel)");
        }
    }

    static SplitPattern ReadSplit(JsonElement split, string path, string field)
    {
        string? behavior = OptionalString(split, "behavior", path, field + ".behavior");
        if (behavior != "Isolated") throw Bad(path, field + ".behavior", $"'{behavior}' is not supported (expected Isolated)");
        if (OptionalBool(split, "invert", false, path, field + ".invert")) throw Bad(path, field + ".invert", "true is not supported");
        var pattern = Required(split, "pattern", JsonValueKind.Object, path, field + ".pattern");
        if (OptionalString(pattern, "Regex", path, field + ".pattern.Regex") is { } regex)
        {
            try { _ = new System.Text.RegularExpressions.Regex(regex); }
            catch (ArgumentException e) { throw Bad(path, field + ".pattern.Regex", $"not a valid regex ({e.Message})"); }
            return new(regex, field + ".pattern.Regex");
        }
        if (OptionalString(pattern, "String", path, field + ".pattern.String") is { } literal)
            return new(System.Text.RegularExpressions.Regex.Escape(literal), field + ".pattern.String");
        throw Bad(path, field + ".pattern", "expected a Regex or String pattern");
    }

    /// <summary>
    /// The special tokens a post-processor adds around one sequence: ByteLevel only fixes offsets (no ids),
    /// TemplateProcessing's "single" gives them, a Sequence composes its processors. Others (Bert, Roberta) are refused.
    /// Null when the processor adds nothing.
    /// </summary>
    static SequenceTemplate? ReadPostProcessor(JsonElement? element, string path, string field)
    {
        if (element is not { } p) return null;
        string? type = OptionalString(p, "type", path, field + ".type");
        switch (type)
        {
            case "ByteLevel":
                return null;
            case "TemplateProcessing":
                return ReadTemplate(p, path, field);
            case "Sequence":
                SequenceTemplate? result = null;
                int i = 0;
                foreach (var inner in Required(p, "processors", JsonValueKind.Array, path, field + ".processors").EnumerateArray())
                {
                    string innerField = $"{field}.processors[{i++}]";
                    if (ReadPostProcessor(inner, path, innerField) is not { } template) continue;
                    if (result is not null) throw Bad(path, innerField, "a second template-adding processor is not supported");
                    result = template;
                }
                return result;
            default:
                throw Bad(path, field + ".type", $"post-processor '{type}' is not supported (expected ByteLevel, TemplateProcessing or a Sequence of them)");
        }
    }

    /// <summary>TemplateProcessing's "single": special tokens (by their special_tokens entry) around "$A".</summary>
    static SequenceTemplate ReadTemplate(JsonElement processor, string path, string field)
    {
        var specials = Required(processor, "special_tokens", JsonValueKind.Object, path, field + ".special_tokens");
        List<int> prefix = [], suffix = [];
        bool seenA = false;
        int i = 0;
        foreach (var piece in Required(processor, "single", JsonValueKind.Array, path, field + ".single").EnumerateArray())
        {
            string pieceField = $"{field}.single[{i++}]";
            if (Optional(piece, "Sequence") is { } sequence)
            {
                string? id = OptionalString(sequence, "id", path, pieceField + ".Sequence.id");
                if (id != "A" || seenA) throw Bad(path, pieceField + ".Sequence.id", $"'{id}': a single-sequence template must hold sequence A exactly once");
                seenA = true;
            }
            else if (Optional(piece, "SpecialToken") is { } special)
            {
                string name = Required(special, "id", JsonValueKind.String, path, pieceField + ".SpecialToken.id").GetString()!;
                var entry = Optional(specials, name) ?? throw Bad(path, pieceField + ".SpecialToken.id", $"'{name}' is not in {field}.special_tokens");
                string idsField = $"{field}.special_tokens['{name}'].ids";
                var ids = Required(entry, "ids", JsonValueKind.Array, path, idsField).EnumerateArray().Select(x => TokenId(x, path, idsField)).ToList();
                (seenA ? suffix : prefix).AddRange(ids);
            }
            else throw Bad(path, pieceField, "expected a Sequence or a SpecialToken");
        }
        if (!seenA) throw Bad(path, field + ".single", "has no sequence A");
        return new SequenceTemplate(prefix, suffix);
    }

    static NormalizationForm? ReadNormalizer(JsonElement? element, string path, string field)
    {
        if (element is not { } n) return null;
        string? type = OptionalString(n, "type", path, field + ".type");
        if (type == "Sequence")
        {
            var forms = Required(n, "normalizers", JsonValueKind.Array, path, field + ".normalizers").EnumerateArray()
                .Select((inner, i) => ReadNormalizer(inner, path, $"{field}.normalizers[{i}]")).OfType<NormalizationForm>().Distinct().ToList();
            return forms.Count <= 1 ? forms.FirstOrDefault() : throw Bad(path, field, "more than one Unicode normalization form");
        }
        return type switch
        {
            "NFC" => NormalizationForm.FormC,
            "NFD" => NormalizationForm.FormD,
            "NFKC" => NormalizationForm.FormKC,
            "NFKD" => NormalizationForm.FormKD,
            _ => throw Bad(path, field + ".type", $"normalizer '{type}' is not supported (expected NFC, NFD, NFKC, NFKD or a Sequence of one)"),
        };
    }
}
