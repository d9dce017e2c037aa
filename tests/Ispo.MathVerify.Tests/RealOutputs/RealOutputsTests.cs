// Agreement with trusted labels on real model outputs (issue 17): the accuracy targets are asserted at the level
// reached, a ratchet above the issue's 98.5% agreement and 0.3% false positives.
using Xunit.Abstractions;

namespace Ispo.MathVerify.Tests.RealOutputs;

public class RealOutputsTests(ITestOutputHelper output)
{
    const double MinAgreement = 0.997;           // reached 0.9975 (2765 cases; Math-Verify 0.9971); the issue's target is 0.985
    const double MaxFalsePositiveRate = 0.003;   // of the not-equal cases; reached 0

    [RealOutputsFact]
    public void AgreesWithTheLabelsAndRarelyCreditsAWrongAnswer()
    {
        IReadOnlyList<RealOutput> cases = RealOutputSet.Load();
        int agree = 0, falsePositives = 0, negatives = 0;
        foreach (RealOutput c in cases)
        {
            VerifyResult result = MathVerifier.Verify(c.Output, c.Gold, VerifyOptions.Evaluation, c.Question);
            if (result.Equal == c.Label) agree++;
            else output.WriteLine($"{c.Id}: label {c.Label}, verifier {result.Reason.ToName()} (extracted {result.Extracted ?? "none"})");
            if (!c.Label) negatives++;
            if (!c.Label && result.Equal) falsePositives++;
        }
        double agreement = (double)agree / cases.Count, falsePositiveRate = (double)falsePositives / negatives;
        output.WriteLine($"{cases.Count} cases: agreement {agreement:P2}, false positives {falsePositives}/{negatives}");
        Assert.True(cases.Count >= 2000, $"the set has {cases.Count} cases");
        Assert.True(agreement >= MinAgreement, $"agreement {agreement:P2} < {MinAgreement:P1}");
        Assert.True(falsePositiveRate <= MaxFalsePositiveRate, $"false positives {falsePositives}/{negatives}");
    }

    /// <summary>The question (joined from the benchmarks, issue 17's echo rule) costs no correct answer: in
    /// evaluation's scope (last resorts) and in the reward's (anywhere, boxed included) every refusal is of a case
    /// labelled wrong.</summary>
    [RealOutputsFact]
    public void KnowingTheQuestionCostsNoCorrectAnswer()
    {
        List<RealOutput> cases = [.. RealOutputSet.Load().Where(c => c.Question is not null)];
        var anywhere = VerifyOptions.Evaluation with { QuestionEcho = QuestionEchoScope.Anywhere };
        int changed = 0, changedAnywhere = 0, lost = 0;
        foreach (RealOutput c in cases)
        {
            bool before = MathVerifier.Verify(c.Output, c.Gold, VerifyOptions.Evaluation).Equal;
            foreach (var (options, scope) in new[] { (VerifyOptions.Evaluation, "last resorts"), (anywhere, "anywhere") })
            {
                VerifyResult result = MathVerifier.Verify(c.Output, c.Gold, options, c.Question);
                if (result.Equal == before) continue;
                if (options == anywhere) changedAnywhere++; else changed++;
                if (c.Label) lost++;
                output.WriteLine($"{c.Id} ({scope}): label {c.Label}, {result.Reason.ToName()} (extracted {result.Extracted})");
            }
        }
        output.WriteLine($"{cases.Count} cases with a question: {changed} verdicts changed (last resorts), {changedAnywhere} (anywhere)");
        Assert.True(cases.Count >= 2000, $"only {cases.Count} cases have a question");
        Assert.Equal(0, lost);
    }
}
