// The evaluator's verifier backed by Ispo.MathVerify: evaluation-mode extraction (answer markers first, then the
// last math span and number), with the template's answer form (\boxed{} or "Answer:") tried first.
using Ispo.MathVerify;
using Ispo.MathVerify.Extraction;
using Ispo.Training.Prompts;

namespace Ispo.Training.Evaluation;

public static class MathVerifyAnswer
{
    /// <summary>A VerifyAnswer delegate (the RL reward, MathReward, extracts strictly instead).</summary>
    public static VerifyAnswer Create() => (completion, gold, question, format) =>
    {
        VerifyResult result = MathVerifier.Verify(completion, gold, new VerifyOptions { Mode = ExtractionMode.Evaluation, Rules = RulesFor(format) }, question);
        return new AnswerVerdict(result.Extracted, result.Equal, result.Reason.ToName());
    };

    /// <summary>The evaluation rules with the template's own answer form moved to the front.</summary>
    public static IReadOnlyList<ExtractionRule> RulesFor(AnswerFormat format)
    {
        ExtractionRule first = format == AnswerFormat.AnswerLine ? ExtractionRule.AnswerLine : ExtractionRule.Boxed;
        return [first, .. ExtractionRules.Evaluation.Where(r => r != first)];
    }
}
