// The rollout environment for math tasks: prompts rendered by a template (and chat format) and encoded with the
// policy's tokenizer, responses decoded with per-token offsets, and judged by the math reward, whose extractor
// also says where the final-answer segment and its content are (ISPO's answer span). The reward sees the question,
// so an answer that only restates it earns nothing.
using Ispo.MathVerify;
using Ispo.MathVerify.Rewards;
using Ispo.Models.Tokenization;

namespace Ispo.Training.Rollouts;

public sealed class MathEnvironment(ITokenizer tokenizer, Func<string, int[]> encodePrompt, MathReward reward) : IRolloutEnvironment
{
    public int[] EncodePrompt(TrainingProblem problem) => encodePrompt(problem.Question);

    public ResponseText Decode(IReadOnlyList<int> responseTokens)
    {
        DecodedText decoded = tokenizer.DecodeWithOffsets(responseTokens, skipSpecial: true);
        return new ResponseText(decoded.Text, decoded.Starts, decoded.Ends);
    }

    public string DecodePrompt(IReadOnlyList<int> promptTokens) => tokenizer.Decode(promptTokens);

    public Judgement Judge(string completion, TrainingProblem problem)
    {
        VerifyResult result = reward.Evaluate(completion, problem.Gold, problem.Question);
        return new Judgement(reward.ScoreOf(result), result.Extracted, result.Answer?.SegmentStart,
            result.Answer?.Start, result.Answer?.Length ?? 0);
    }
}
