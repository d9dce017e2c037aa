using Ispo.Training.Study;

namespace Ispo.Training.Tests.Study;

public sealed class CellScheduleTests
{
    static readonly StudyMethod Grpo = StudyPlan.Methods[0];

    // The study's own grid: main seeds 0-2 (demo), the ablations on seed 0's base model, the second size (medium).
    static readonly StudyCell[] Grid =
    [
        new("main", "demo", 0, [Grpo]), new("main", "demo", 1, [Grpo]), new("main", "demo", 2, [Grpo]),
        new("main", "demo", 0, [Grpo]), new("second", "medium", 0, [Grpo]),
    ];

    [Fact]
    public void TheLargestBaseModelGoesFirstAndAReusedBaseModelWaitsForItsCell()
    {
        var schedule = new CellSchedule(Grid);
        Assert.Equal(4, schedule.Take()); // medium before demo
        Assert.Equal(0, schedule.Take());
        Assert.Equal(1, schedule.Take());
        Assert.Equal(2, schedule.Take());
        Assert.Null(schedule.Take()); // the ablations need seed 0's base model, still being made
        Assert.False(schedule.AllTaken);
        schedule.Finished(1);
        Assert.Null(schedule.Take());
        schedule.Finished(0);
        Assert.Equal(3, schedule.Take());
        Assert.True(schedule.AllTaken);
    }

    [Fact]
    public async Task AtMostJobsCellsRunAtOnceAndEveryCellRunsOnce()
    {
        int running = 0, most = 0;
        var ran = new List<int>();
        await CellSchedule.RunAsync(Grid, 2, async (cell, _) =>
        {
            lock (ran)
            {
                ran.Add(cell);
                most = Math.Max(most, ++running);
            }
            await Task.Delay(20);
            lock (ran) running--;
            return 0;
        }, CancellationToken.None);
        Assert.Equal(2, most);
        Assert.Equal([0, 1, 2, 3, 4], ran.Order());
        Assert.True(ran.IndexOf(3) > ran.IndexOf(0));
    }

    [Fact]
    public async Task AFailedCellStopsNewStartsAndIsNamed()
    {
        var ran = new List<int>();
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => CellSchedule.RunAsync(Grid, 1, (cell, _) =>
        {
            ran.Add(cell);
            return Task.FromResult(cell == 0 ? 3 : 0);
        }, CancellationToken.None));
        Assert.Equal([4, 0], ran);
        Assert.Contains("main seed 0 (exit code 3)", error.Message);
    }
}
