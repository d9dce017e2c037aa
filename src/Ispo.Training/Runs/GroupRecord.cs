// One prompt group of one step, as written to groups.jsonl: which problem, how many of its rollouts were right.
namespace Ispo.Training.Runs;

public sealed record GroupRecord(int Step, string Problem, int Correct, int Rollouts)
{
    public bool AllWrong => Correct == 0;
}
