// The tokenizer abstraction the rest of Ispo uses: encode untrusted text safely, encode trusted templates with their
// special tokens, decode with per-token character offsets.
namespace Ispo.Models.Tokenization;

public interface ITokenizer
{
    /// <summary>One past the largest token id (model vocab and added tokens).</summary>
    int VocabSize { get; }
    int? BosId { get; }
    int? EosId { get; }
    int? PadId { get; }

    /// <summary>Ids of added tokens marked special (skipped by Decode with skipSpecial).</summary>
    IReadOnlySet<int> SpecialIds { get; }

    /// <summary>
    /// The special tokens HF's encode(text) adds around one sequence (add_special_tokens=True), such as Llama-3's
    /// &lt;|begin_of_text|&gt;. Encode never adds them; prompts in a raw format get the prefix, chat templates write their own.
    /// </summary>
    SequenceTemplate SequenceTemplate { get; }

    /// <summary>Encodes untrusted text: a special token's spelling ("&lt;|im_end|&gt;") is encoded as plain text.</summary>
    int[] Encode(string text);

    /// <summary>Encodes trusted text (chat templates): added tokens' spellings become their ids.</summary>
    int[] EncodeWithSpecialTokens(string text);

    /// <summary>
    /// Cuts trusted text at added tokens' spellings, as HF does before encoding: runs of plain text (AddedTokenId
    /// null) and added tokens (their id), in order.
    /// </summary>
    IEnumerable<(string Text, int? AddedTokenId)> SplitAddedTokens(string text);

    string Decode(IReadOnlyList<int> ids, bool skipSpecial = false);

    /// <summary>Decodes and reports where each token's text starts and ends in the result.</summary>
    DecodedText DecodeWithOffsets(IReadOnlyList<int> ids, bool skipSpecial = false);

    /// <summary>The id of a vocabulary entry in its stored spelling ("Ġthe", "&lt;|im_start|&gt;"); null when absent.</summary>
    int? TokenToId(string token);

    /// <summary>The stored spelling of an id; null for an unused id.</summary>
    string? IdToToken(int id);
}
