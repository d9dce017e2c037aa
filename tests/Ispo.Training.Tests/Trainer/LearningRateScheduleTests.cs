using Ispo.Training.Configuration;
using Ispo.Training.Trainer;

namespace Ispo.Training.Tests.Trainer;

public class LearningRateScheduleTests
{
    [Fact]
    public void WarmupRisesLinearlyThenHoldsWhenConstant()
    {
        var s = new LearningRateSchedule(1e-3, WarmupSteps: 4, TotalSteps: 100, LrSchedule.Constant);
        Assert.Equal([2.5e-4, 5e-4, 7.5e-4, 1e-3, 1e-3], Enumerable.Range(0, 5).Select(s.At).ToArray());
        Assert.Equal(1e-3, s.At(99));
    }

    [Fact]
    public void CosineDecaysFromPeakToFloor()
    {
        var s = new LearningRateSchedule(1.0, WarmupSteps: 0, TotalSteps: 10, LrSchedule.Cosine, MinLrRatio: 0.1);
        Assert.Equal(1.0, s.At(0), 12);
        Assert.Equal(0.55, s.At(5), 12);   // halfway: floor + (1 - floor) / 2
        Assert.Equal(0.1, s.At(10), 12);
        Assert.Equal(0.1, s.At(50), 12);
    }
}
