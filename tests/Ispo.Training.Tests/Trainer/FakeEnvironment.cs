// A task for trainer tests on a tiny random model: tokens are characters 'a'+id, a rollout is right when its
// first generated character matches the gold (so rewards vary within groups), and the answer segment is the last 3
// tokens: one of format, then the content (the last 2).
using Ispo.Training.Rollouts;

namespace Ispo.Training.Tests.Trainer;

internal sealed class FakeEnvironment(int vocab, bool nanRewards = false) : IRolloutEnvironment
{
    public int[] EncodePrompt(TrainingProblem problem) => problem.Question.Select(c => 3 + c % (vocab - 3)).ToArray();

    public ResponseText Decode(IReadOnlyList<int> tokens)
    {
        var text = new string(tokens.Where(t => t > 2).Select(t => (char)('a' + t % 26)).ToArray());
        var starts = new int[tokens.Count];
        for (int i = 0, at = 0; i < tokens.Count; i++) { starts[i] = at; if (tokens[i] > 2) at++; }
        return new ResponseText(text, starts);
    }

    public string DecodePrompt(IReadOnlyList<int> promptTokens) => Decode(promptTokens).Text;

    public Judgement Judge(string completion, TrainingProblem problem)
    {
        bool right = completion.Length > 0 && completion[0] <= problem.Gold[0];
        int? start = completion.Length >= 3 ? completion.Length - 3 : null;
        return new Judgement(nanRewards ? double.NaN : right ? 1 : 0, completion.Length > 0 ? completion[..1] : null, start,
            start + 1, start is null ? 0 : 2);
    }

    public static IReadOnlyList<TrainingProblem> Problems(int count) =>
        Enumerable.Range(0, count).Select(i => new TrainingProblem($"p{i}", $"q{i}?", ((char)('a' + 6 + i % 14)).ToString())).ToList();
}
