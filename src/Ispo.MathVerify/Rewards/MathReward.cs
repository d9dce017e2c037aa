// The outcome reward R_o: verifies the completion's final answer against the gold (strict extraction by default).
namespace Ispo.MathVerify.Rewards;

public sealed record MathRewardOptions
{
    public double Correct { get; init; } = 1.0;
    public double Incorrect { get; init; } = 0.0;
    public double NoAnswer { get; init; } = 0.0;
    public VerifyOptions Verify { get; init; } = VerifyOptions.Strict;
}

public sealed class MathReward(MathRewardOptions? options = null)
{
    public MathRewardOptions Options { get; } = options ?? new MathRewardOptions();

    /// <summary>The full verification, for callers that also log reasons and extracted answers; given the
    /// question, an answer that only restates it scores as incorrect (reason question_echo).</summary>
    public VerifyResult Evaluate(string completion, string gold, string? question = null) =>
        MathVerifier.Verify(completion, gold, Options.Verify, question);

    public double ScoreOf(VerifyResult result) => result.Reason switch
    {
        VerifyReason.Equal => Options.Correct,
        VerifyReason.NoAnswer => Options.NoAnswer,
        _ => Options.Incorrect,
    };
}
