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
            VerifyResult result = MathVerifier.Verify(c.Output, c.Gold, VerifyOptions.Evaluation);
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
}
