// A sample's text as the engines report it: special tokens skipped, cut before the stop string that ended it; and
// the per-token strings and character offsets of OpenAI's log-prob objects.
using Ispo.Models.Sampling;
using Ispo.Models.Tokenization;

namespace Ispo.Serve.Api;

internal static class CompletionText
{
    /// <summary>The text, and the stop string that ended the sample (null for EOS or length), as vLLM's stop_reason.</summary>
    public static (string Text, string? StopReason) Of(ITokenizer tokenizer, Sample sample, IReadOnlyList<string> stops)
    {
        string text = tokenizer.Decode(sample.TokenIds, skipSpecial: true);
        if (sample.FinishReason != FinishReason.Stop) return (text, null);
        (int at, string? stop) = FirstStop(text, stops);
        if (stop is not null) return (text[..at], stop);
        // The stop string was the spelling of a special token (ChatML's <|im_end|>), absent from the skipped text.
        return (text, FirstStop(tokenizer.Decode(sample.TokenIds), stops).Stop);
    }

    public static string FinishReasonOf(Sample sample) => sample.FinishReason == FinishReason.Length ? "length" : "stop";

    /// <summary>Each generated token's own text (special tokens spelled out).</summary>
    public static string[] TokenStrings(ITokenizer tokenizer, Sample sample) =>
        sample.TokenIds.Select(id => tokenizer.Decode([id])).ToArray();

    /// <summary>Where each token's text starts in the (uncut) completion text.</summary>
    public static int[] TextOffsets(ITokenizer tokenizer, Sample sample) => tokenizer.DecodeWithOffsets(sample.TokenIds, skipSpecial: true).Starts;

    static (int At, string? Stop) FirstStop(string text, IReadOnlyList<string> stops)
    {
        (int at, string? first) = (-1, null);
        foreach (string stop in stops)
        {
            int i = text.IndexOf(stop, StringComparison.Ordinal);
            if (i >= 0 && (at < 0 || i < at)) (at, first) = (i, stop);
        }
        return (at, first);
    }
}
