// The evaluator's verifier backed by Ispo.MathVerify: evaluation-mode extraction (answer markers first, then the
// last math span and number), with the template's answer form (\boxed{} or "Answer:") tried first.
using Ispo.MathVerify;
using Ispo.MathVerify.Extraction;
using Ispo.Training.Prompts;

namespace Ispo.Training.Evaluation;

public static class MathVerifyAnswer
{
    /// <summary>A VerifyAnswer delegate; <paramref name="mode"/> Strict gives RL-reward extraction instead.</summary>
    public static VerifyAnswer Create(ExtractionMode mode = ExtractionMode.Evaluation) => (completion, gold, format) =>
    {
        VerifyResult result = MathVerifier.Verify(completion, gold, new VerifyOptions { Mode = mode, Rules = RulesFor(format, mode) });
        return new AnswerVerdict(result.Extracted, result.Equal, result.Reason.ToName());
    };

    /// <summary>The mode's rules with the template's own answer form moved to the front.</summary>
    public static IReadOnlyList<ExtractionRule> RulesFor(AnswerFormat format, ExtractionMode mode)
    {
        IReadOnlyList<ExtractionRule> rules = mode == ExtractionMode.Strict ? ExtractionRules.Strict : ExtractionRules.Evaluation;
        ExtractionRule first = format == AnswerFormat.AnswerLine ? ExtractionRule.AnswerLine : ExtractionRule.Boxed;
        return [first, .. rules.Where(r => r != first)];
    }
}
