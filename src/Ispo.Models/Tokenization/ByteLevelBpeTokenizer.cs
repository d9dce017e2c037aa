// Byte-level BPE (GPT-2, Qwen2, Llama-3) from an HF tokenizer.json, encoding through Microsoft.ML.Tokenizers'
// BpeTokenizer. We pre-tokenize ourselves (HF's split regexes, added-token splitting, ignore_merges) and hand each
// piece to the BPE model, which knows no special tokens, so untrusted text can never produce a special id.
// Decoding is ours too: byte-level symbols back to bytes, then UTF-8, tracking each token's character span.
using System.Text;
using System.Text.RegularExpressions;
using Ispo.Models.Tokenization.Unicode;
using Microsoft.ML.Tokenizers;

namespace Ispo.Models.Tokenization;

public sealed class ByteLevelBpeTokenizer : ITokenizer
{
    public const string FileName = "tokenizer.json";

    readonly BpeTokenizer bpe;
    readonly IReadOnlyDictionary<string, int> vocab;
    readonly Dictionary<string, int> addedIds;
    readonly string?[] tokenOfId;
    readonly byte[][] bytesOfId;
    readonly HashSet<int> specialIds;
    readonly RegexSplitter splitter;
    readonly Regex? addedTokenPattern;
    readonly NormalizationForm? normalization;
    readonly bool ignoreMerges;

    public int VocabSize { get; }
    public int? BosId { get; }
    public int? EosId { get; }
    public int? PadId { get; }
    public IReadOnlySet<int> SpecialIds => specialIds;
    public SequenceTemplate SequenceTemplate { get; }
    public TokenizerConfig Config { get; }

    public ByteLevelBpeTokenizer(TokenizerDefinition definition, TokenizerConfig? config = null, string source = "tokenizer")
    {
        Config = config ?? new TokenizerConfig();
        vocab = definition.Vocab;
        normalization = definition.Normalization;
        ignoreMerges = definition.IgnoreMerges;
        splitter = new RegexSplitter(definition.SplitPatterns, source);
        bpe = CreateBpe(definition, source);
        addedIds = definition.AddedTokens.ToDictionary(t => t.Content, t => t.Id, StringComparer.Ordinal);
        specialIds = definition.AddedTokens.Where(t => t.Special).Select(t => t.Id).ToHashSet();
        addedTokenPattern = definition.AddedTokens.Count == 0 ? null : new Regex(
            string.Join("|", definition.AddedTokens.Select(t => t.Content).OrderByDescending(c => c.Length).Select(Regex.Escape)),
            RegexOptions.CultureInvariant);
        VocabSize = Math.Max(vocab.Values.DefaultIfEmpty(-1).Max(), definition.AddedTokens.Select(t => t.Id).DefaultIfEmpty(-1).Max()) + 1;
        (tokenOfId, bytesOfId) = BuildDecodeTables(definition, VocabSize);
        BosId = IdOfConfigToken(Config.BosToken, "bos_token", source);
        EosId = IdOfConfigToken(Config.EosToken, "eos_token", source);
        PadId = IdOfConfigToken(Config.PadToken, "pad_token", source);
        foreach (string token in Config.AdditionalSpecialTokens ?? []) IdOfConfigToken(token, "additional_special_tokens", source);
        SequenceTemplate = SequenceTemplate.Resolve(definition.PostProcessor, Config, BosId, EosId);
        foreach (int id in SequenceTemplate.Prefix.Concat(SequenceTemplate.Suffix))
            if (IdToToken(id) is null) throw new InvalidDataException($"{source}: field 'post_processor': special token id {id} is not in the vocabulary");
    }

    static BpeTokenizer CreateBpe(TokenizerDefinition definition, string source)
    {
        // HF's BPE builder refuses the same (MergeTokenOutOfVocabulary); BpeTokenizer's own error names no file or field.
        for (int i = 0; i < definition.Merges.Count; i++)
        {
            var (left, right) = definition.Merges[i];
            if (new[] { left, right, left + right }.FirstOrDefault(t => !definition.Vocab.ContainsKey(t)) is { } absent)
                throw new InvalidDataException($"{source}: field 'model.merges[{i}]': token '{absent}' of merge \"{left} {right}\" is not in model.vocab");
        }
        return BpeTokenizer.Create(new BpeOptions(definition.Vocab)
        {
            Merges = definition.Merges.Select(m => $"{m.Left} {m.Right}"),
            ByteLevel = true,
        });
    }

    /// <summary>Loads tokenizer.json and, when present, tokenizer_config.json from a model directory; with
    /// <paramref name="modelVocabSize"/>, every id must have a row in the model's embedding.</summary>
    public static ByteLevelBpeTokenizer Load(string dir, int? modelVocabSize = null)
    {
        string json = Path.Combine(dir, FileName), configPath = Path.Combine(dir, TokenizerConfig.FileName);
        var config = File.Exists(configPath) ? TokenizerConfig.Load(configPath) : null;
        var definition = TokenizerDefinition.Load(json);
        if (modelVocabSize is { } size) definition.CheckIdsBelow(size, json);
        return new ByteLevelBpeTokenizer(definition, config, json);
    }

    int? IdOfConfigToken(string? token, string field, string source) => token is null ? null
        : TokenToId(token) ?? throw new InvalidDataException($"{TokenizerConfig.FileName}: field '{field}': token '{token}' is not in the vocabulary of {source}");

    static (string?[], byte[][]) BuildDecodeTables(TokenizerDefinition definition, int size)
    {
        var tokens = new string?[size];
        var bytes = new byte[size][];
        foreach (var (token, id) in definition.Vocab)
        {
            tokens[id] = token;
            bytes[id] = token.Select(c => ByteLevelAlphabet.TryToByte(c, out byte b) ? b : (byte)'?').ToArray();
        }
        foreach (var added in definition.AddedTokens)
        {
            tokens[added.Id] = added.Content;
            bytes[added.Id] = Encoding.UTF8.GetBytes(added.Content);
        }
        for (int i = 0; i < size; i++) bytes[i] ??= [];
        return (tokens, bytes);
    }

    public int? TokenToId(string token) =>
        addedIds.TryGetValue(token, out int added) ? added : vocab.TryGetValue(token, out int id) ? id : null;

    public string? IdToToken(int id) => id >= 0 && id < tokenOfId.Length ? tokenOfId[id] : null;

    public int[] Encode(string text)
    {
        var ids = new List<int>();
        EncodePlain(text, ids);
        return ids.ToArray();
    }

    public int[] EncodeWithSpecialTokens(string text)
    {
        var ids = new List<int>();
        foreach (var (piece, added) in SplitAddedTokens(text))
        {
            if (added is { } id) ids.Add(id);
            else EncodePlain(piece, ids);
        }
        return ids.ToArray();
    }

    public IEnumerable<(string Text, int? AddedTokenId)> SplitAddedTokens(string text)
    {
        if (addedTokenPattern is null)
        {
            if (text.Length > 0) yield return (text, null);
            yield break;
        }
        int position = 0;
        foreach (Match match in addedTokenPattern.Matches(text))
        {
            if (match.Index > position) yield return (text[position..match.Index], null);
            yield return (match.Value, addedIds[match.Value]);
            position = match.Index + match.Length;
        }
        if (position < text.Length) yield return (text[position..], null);
    }

    void EncodePlain(string text, List<int> ids)
    {
        if (text.Length == 0) return;
        if (normalization is { } form) text = UnicodeNormalizer.Normalize(text, form);
        foreach (string piece in PreTokenize(text))
        {
            if (ignoreMerges && vocab.TryGetValue(ByteLevelAlphabet.Encode(piece), out int whole)) ids.Add(whole);
            else ids.AddRange(bpe.EncodeToIds(piece, considerPreTokenization: false, considerNormalization: false));
        }
    }

    /// <summary>The pieces the split regexes cut a text into before BPE.</summary>
    public IEnumerable<string> PreTokenize(string text) => splitter.Split(text);

    public string Decode(IReadOnlyList<int> ids, bool skipSpecial = false) => DecodeWithOffsets(ids, skipSpecial).Text;

    public DecodedText DecodeWithOffsets(IReadOnlyList<int> ids, bool skipSpecial = false)
    {
        var bytes = new List<byte>();
        var byteStarts = new int[ids.Count + 1];
        for (int i = 0; i < ids.Count; i++)
        {
            byteStarts[i] = bytes.Count;
            int id = ids[i];
            if (id < 0 || id >= bytesOfId.Length || (skipSpecial && specialIds.Contains(id))) continue;
            bytes.AddRange(bytesOfId[id]);
        }
        byteStarts[ids.Count] = bytes.Count;
        return Utf8Spans.Decode(bytes.ToArray(), byteStarts);
    }
}
