using Ispo.Training.Reports;
using Ispo.Training.Runs;

namespace Ispo.Training.Tests.Reports;

public class ZeroAdvantageFateTests
{
    [Fact]
    public void CountsAllWrongPromptsAndWhichOnesWereLaterSolved()
    {
        GroupRecord[] groups =
        [
            new(1, "a", 0, 8), new(1, "b", 0, 8), new(1, "c", 3, 8),
            new(2, "a", 2, 8), new(2, "d", 0, 8),
            new(3, "b", 0, 8), new(3, "a", 0, 8),
        ];
        ZeroAdvantageFate fate = ZeroAdvantageFate.From(groups);
        Assert.Equal(new ZeroAdvantageFate(AllWrongPrompts: 3, RevisitedPrompts: 2, LaterSolved: 1), fate);   // a solved at 2; b never; d not revisited
        Assert.Equal(0.5, fate.SolvedFraction);
        Assert.Null(ZeroAdvantageFate.From([]).SolvedFraction);
    }
}
