// The fate of zero-advantage prompts (the paper's Fig. 6): of the prompts whose whole group failed at some step,
// how many were solved (at least one right rollout) when drawn again later in the same run.
using Ispo.Training.Runs;

namespace Ispo.Training.Reports;

/// <param name="AllWrongPrompts">Distinct problems whose group was all wrong at least once.</param>
/// <param name="RevisitedPrompts">Of those, how many were drawn again after their first all-wrong step.</param>
/// <param name="LaterSolved">Of those, how many got a right rollout at a later step.</param>
public sealed record ZeroAdvantageFate(int AllWrongPrompts, int RevisitedPrompts, int LaterSolved)
{
    public double? SolvedFraction => RevisitedPrompts == 0 ? null : (double)LaterSolved / RevisitedPrompts;

    public static ZeroAdvantageFate From(IReadOnlyList<GroupRecord> groups)
    {
        var firstAllWrong = new Dictionary<string, int>();
        foreach (GroupRecord g in groups.Where(g => g.AllWrong).OrderBy(g => g.Step))
            firstAllWrong.TryAdd(g.Problem, g.Step);
        var later = groups.Where(g => firstAllWrong.TryGetValue(g.Problem, out int first) && g.Step > first).ToList();
        int revisited = later.Select(g => g.Problem).Distinct().Count();
        int solved = later.Where(g => g.Correct > 0).Select(g => g.Problem).Distinct().Count();
        return new ZeroAdvantageFate(firstAllWrong.Count, revisited, solved);
    }
}
