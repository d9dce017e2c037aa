// The evaluator's verifier backed by Ispo.MathVerify, in one of its two modes: evaluation (lenient: answer markers
// first, then the last math span and number, with the template's answer form tried first), or reward (the RL
// reward's strict extraction, for scores that must agree with what training rewarded, as the study's tier scores).
using Ispo.MathVerify;
using Ispo.MathVerify.Extraction;
using Ispo.MathVerify.Rewards;
using Ispo.Training.Prompts;

namespace Ispo.Training.Evaluation;

public static class MathVerifyAnswer
{
    /// <summary>A VerifyAnswer delegate: <see cref="ExtractionMode.Evaluation"/> for benchmarks, or
    /// <see cref="ExtractionMode.Strict"/> for MathReward's own check (right exactly when the reward pays Correct).</summary>
    public static VerifyAnswer Create(ExtractionMode mode = ExtractionMode.Evaluation) => (completion, gold, question, format) =>
    {
        VerifyOptions options = mode == ExtractionMode.Strict ? new MathRewardOptions().Verify
            : new VerifyOptions { Mode = ExtractionMode.Evaluation, Rules = RulesFor(format) };
        VerifyResult result = MathVerifier.Verify(completion, gold, options, question);
        return new AnswerVerdict(result.Extracted, result.Equal, result.Reason.ToName());
    };

    /// <summary>The evaluation rules with the template's own answer form moved to the front.</summary>
    public static IReadOnlyList<ExtractionRule> RulesFor(AnswerFormat format)
    {
        ExtractionRule first = format == AnswerFormat.AnswerLine ? ExtractionRule.AnswerLine : ExtractionRule.Boxed;
        return [first, .. ExtractionRules.Evaluation.Where(r => r != first)];
    }
}
