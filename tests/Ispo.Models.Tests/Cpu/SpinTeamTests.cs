using Ispo.Models.Cpu;

namespace Ispo.Models.Tests.Cpu;

public class SpinTeamTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void EveryWorkerRunsAndBarriersOrderThePhases(int size)
    {
        var team = SpinTeam.Of(size);
        var phaseOne = new int[size];
        var sawAllOfPhaseOne = new bool[size];
        for (int round = 0; round < 50; round++)
        {
            Array.Clear(phaseOne);
            team.Run(w =>
            {
                Volatile.Write(ref phaseOne[w], 1);
                team.Barrier();
                sawAllOfPhaseOne[w] = phaseOne.All(v => Volatile.Read(ref v) == 1);
            });
            Assert.All(sawAllOfPhaseOne, Assert.True);
        }
    }

    [Fact]
    public void AFailingWorkerFailsTheRunWithoutHangingTheOthers()
    {
        var team = SpinTeam.Of(2);
        var error = Assert.Throws<AggregateException>(() => team.Run(w =>
        {
            if (w == 1) throw new InvalidOperationException("boom");
            team.Barrier(); // worker 1 never arrives
        }));
        Assert.Contains(error.InnerExceptions, e => e is InvalidOperationException or OperationCanceledException);
        int ran = 0;
        team.Run(_ => Interlocked.Increment(ref ran)); // the team still works afterwards
        Assert.Equal(2, ran);
    }

    [Fact]
    public void SharesCoverTheRangeOnce()
    {
        var team = SpinTeam.Of(3);
        var covered = Enumerable.Range(0, 3).SelectMany(w => { var (a, b) = team.Share(w, 10); return Enumerable.Range(a, b - a); });
        Assert.Equal(Enumerable.Range(0, 10), covered);
    }
}
