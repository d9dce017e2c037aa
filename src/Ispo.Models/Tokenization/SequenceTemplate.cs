// What HF's encode(text) puts around one sequence with add_special_tokens=True (the default): tokenizer.json's
// post_processor (TemplateProcessing's "single", e.g. Llama-3's <|begin_of_text|> $A), or, where
// tokenizer_config.json sets add_bos_token / add_eos_token, "[bos] $A [eos]" from those flags.
namespace Ispo.Models.Tokenization;

public sealed record SequenceTemplate(IReadOnlyList<int> Prefix, IReadOnlyList<int> Suffix)
{
    public static readonly SequenceTemplate None = new([], []);

    public bool IsEmpty => Prefix.Count == 0 && Suffix.Count == 0;

    /// <summary>The ids of one encoded sequence with the template's special tokens around them.</summary>
    public int[] Apply(IReadOnlyList<int> ids) => [.. Prefix, .. ids, .. Suffix];

    public bool Equals(SequenceTemplate? other) =>
        other is not null && Prefix.SequenceEqual(other.Prefix) && Suffix.SequenceEqual(other.Suffix);

    public override int GetHashCode() => HashCode.Combine(Prefix.Count, Suffix.Count, Prefix.FirstOrDefault(), Suffix.FirstOrDefault());

    /// <summary>
    /// HF's behaviour for a tokenizer_config.json: a LlamaTokenizer(Fast) class, or explicit add_bos_token /
    /// add_eos_token keys (transformers 5 rebuilds the post-processor from them), replace tokenizer.json's template
    /// by "[bos] $A [eos]" (Llama classes add BOS unless told not to; a flag whose token is unset adds nothing, as in
    /// transformers 5); otherwise tokenizer.json's post_processor decides.
    /// </summary>
    public static SequenceTemplate Resolve(SequenceTemplate fromPostProcessor, TokenizerConfig config, int? bosId, int? eosId)
    {
        bool llamaClass = config.TokenizerClass is "LlamaTokenizerFast" or "LlamaTokenizer" or "CodeLlamaTokenizerFast" or "CodeLlamaTokenizer";
        if (!llamaClass && config.AddBosToken is null && config.AddEosToken is null) return fromPostProcessor;
        bool addBos = config.AddBosToken ?? llamaClass, addEos = config.AddEosToken ?? false;
        return new(addBos && bosId is { } bos ? [bos] : [], addEos && eosId is { } eos ? [eos] : []);
    }
}
